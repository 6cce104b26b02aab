import { describe, expect, it } from 'vitest';
import { readXlsx } from '../../test/support/xlsx.js';
import { chinaDateTimeText, columnName, toCsv, toXlsx, type ExportTable } from './queue-export.js';

const table: ExportTable = {
  sheetName: '待办队列',
  header: ['受理编号', '申请人', '剩余工作日'],
  rows: [
    ['SQ20260901-0001', '程远', 3],
    ['SQ20260901-0002', '=HYPERLINK("http://x")', -2],
    ['SQ20260901-0003', '王"小"明, 二', null],
    ['SQ20260901-0004', '<李&四>', 0],
  ],
};

describe('queue export', () => {
  it('writes CSV as UTF-8 with a BOM, CRLF lines, RFC 4180 quotes, and formulas defused', () => {
    const bytes = toCsv(table);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.slice(1).split('\r\n')).toEqual([
      '受理编号,申请人,剩余工作日',
      'SQ20260901-0001,程远,3',
      `SQ20260901-0002,"'=HYPERLINK(""http://x"")",-2`,
      'SQ20260901-0003,"王""小""明, 二",',
      'SQ20260901-0004,<李&四>,0',
      '',
    ]);
  });

  it('writes an .xlsx that reads back cell by cell (strings escaped, numbers as numbers, empty cells empty)', () => {
    const book = readXlsx(toXlsx(table));
    expect(book.sheetName).toBe('待办队列');
    expect(book.rows).toEqual([
      ['受理编号', '申请人', '剩余工作日'],
      ['SQ20260901-0001', '程远', '3'],
      ['SQ20260901-0002', `'=HYPERLINK("http://x")`, '-2'],
      ['SQ20260901-0003', '王"小"明, 二'],
      ['SQ20260901-0004', '<李&四>', '0'],
    ]);
    // The same table, the same bytes (a fixed zip time).
    expect(toXlsx(table)).toEqual(toXlsx(table));
  });

  it('names columns A…Z, AA… and writes times in China time', () => {
    expect([0, 25, 26, 27, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
    expect(chinaDateTimeText('2026-03-02T16:30:00Z')).toBe('2026-03-03 00:30');
  });
});
