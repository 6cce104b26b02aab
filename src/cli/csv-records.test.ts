import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeLegacy } from '../standards/gb18030.js';
import { toCsvLine } from './csv.js';
import { CsvRecordReader, type CsvItem } from './csv-records.js';

/** Reads `bytes` fed in chunks of `chunk` bytes; the header (first record) sets the width. */
async function readAll(bytes: Uint8Array, encoding = 'utf-8', chunk = 7) {
  let width: number | undefined;
  const reader = new CsvRecordReader({ encoding, width: () => width });
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  }
  const items: CsvItem[] = [];
  for await (const item of reader.read(chunks())) {
    if (width === undefined && item.kind === 'record') width = item.cells.length;
    items.push(item);
  }
  return { items, linesRead: reader.linesRead };
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const physicalLines = (text: string) => text.replace(/\n$/, '').split('\n').length;
const summary = (items: CsvItem[]) =>
  items.map((i) => (i.kind === 'malformed' ? `${i.line}:${i.problem.kind}` : `${i.line}:${i.kind}`));

describe('CsvRecordReader', () => {
  it('rejects the line of an unterminated quote alone and reads every row after it', async () => {
    const text = [
      'household_number,name,sex',
      '330802000000001,周福生,1',
      '330802000000002,"吴桂英,2',
      '330802000000003,周立,1',
      '330802000000004,周强,1',
      '',
    ].join('\n');
    const { items, linesRead } = await readAll(utf8(text));
    expect(summary(items)).toEqual(['1:record', '2:record', '3:unterminated-quote', '4:record', '5:record']);
    expect(items[2]).toMatchObject({ problem: { cell: 1 }, cells: ['330802000000002', '吴桂英,2'] });
    expect(items[4]).toMatchObject({ cells: ['330802000000004', '周强', '1'] });
    expect(linesRead).toBe(5);
  });

  it('rejects a quote inside an unquoted field, and text after a closing quote, naming the cell', async () => {
    const text = 'a,b,c\n1,张"三,1\n2,"李四"x,2\n3,"王""五",1\n';
    const { items } = await readAll(utf8(text));
    expect(summary(items)).toEqual(['1:record', '2:stray-quote', '3:stray-quote', '4:record']);
    expect(items[1]).toMatchObject({ problem: { cell: 1 } });
    expect(items[3]).toMatchObject({ cells: ['3', '王"五', '1'] });
  });

  it('reads a quoted field over several lines as one record spanning them', async () => {
    const text = 'a,b,c\r\n1,"x\r\ny, z",3\r\n\r\n4,5,6';
    const { items, linesRead } = await readAll(utf8(text));
    expect(items).toEqual([
      { kind: 'record', line: 1, lines: 1, cells: ['a', 'b', 'c'] },
      { kind: 'record', line: 2, lines: 2, cells: ['1', 'x\ny, z', '3'] },
      { kind: 'blank', line: 4, lines: 1 },
      { kind: 'record', line: 5, lines: 1, cells: ['4', '5', '6'] },
    ]);
    expect(linesRead).toBe(5);
  });

  it('gives up a quote that would join lines into a record of the wrong width', async () => {
    // The quote opened on line 2 closes on line 3 as a well-formed record of 4 cells, not 3.
    const text = 'a,b,c\n1,"x,2\n3,y",4,5\n6,7,8\n';
    const { items } = await readAll(utf8(text));
    expect(summary(items)).toEqual(['1:record', '2:unterminated-quote', '3:stray-quote', '4:record']);
  });

  it('rejects a record of another width than the header', async () => {
    const { items } = await readAll(utf8('a,b,c\n1,2\n1,2,3,4\n1,2,3\n'));
    expect(items.slice(1, 3)).toMatchObject([
      { kind: 'malformed', line: 2, problem: { kind: 'column-count', count: 2, expected: 3 } },
      { kind: 'malformed', line: 3, problem: { kind: 'column-count', count: 4, expected: 3 } },
    ]);
    expect(items[3]).toMatchObject({ kind: 'record', line: 4 });
  });

  it('rejects only the line of a bad byte, in UTF-8 and in GBK', async () => {
    const good = utf8('a,b\n1,周福生\n');
    const bad = Buffer.concat([good, Buffer.from('2,吴'), Buffer.from([0xff]), Buffer.from('英\n3,周立\n')]);
    const { items } = await readAll(bad);
    expect(summary(items)).toEqual(['1:record', '2:record', '3:encoding', '4:record']);
    expect(items[2]).toMatchObject({ problem: { byte: 6 }, cells: ['2', '吴\uFFFD英'] });

    const gbk = Buffer.concat([
      encodeLegacy('a,b\n1,周福生\n2,吴', 'gbk'),
      Buffer.from([0x81, 0x20]),
      encodeLegacy('英\n3,周立\n', 'gbk'),
    ]);
    const read = await readAll(gbk, 'gbk', 3);
    expect(summary(read.items)).toEqual(['1:record', '2:record', '3:encoding', '4:record']);
    expect(read.items[3]).toMatchObject({ cells: ['3', '周立'] });
  });

  it('rejects a row holding a NUL, naming the cell', async () => {
    const { items } = await readAll(utf8('a,b\n1,周\0福生\n2,x\n'));
    expect(items[1]).toMatchObject({ kind: 'malformed', line: 2, problem: { kind: 'nul', cell: 1 } });
    expect(items[2]).toMatchObject({ kind: 'record', line: 3 });
  });

  const cell = fc.oneof(
    fc.string({ maxLength: 6 }),
    fc.constantFrom('周福生', 'a,b', 'say "hi"', 'two\nlines', '', ' '),
  );

  it('reads back any rows written as CSV, whatever the chunking, accounting for every line', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 20 }),
        async (rows, chunk) => {
          const safe = rows.map((r) => r.map((c) => c.replaceAll('\0', '').replaceAll('\r', '')));
          const text = `${toCsvLine(['h1', 'h2', 'h3'])}\n${safe.map((r) => toCsvLine(r)).join('\n')}\n`;
          const { items, linesRead } = await readAll(utf8(text), 'utf-8', chunk);
          expect(linesRead).toBe(physicalLines(text));
          expect(items.reduce((n, i) => n + i.lines, 0)).toBe(linesRead);
          expect(items.filter((i) => i.kind === 'record').map((i) => i.cells)).toEqual([
            ['h1', 'h2', 'h3'],
            ...safe,
          ]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('loses no other row to one stray quote put anywhere in a file without quotes', async () => {
    const plain = fc.stringMatching(/^[a-z0-9 周吴郑王]{0,5}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(plain, { minLength: 3, maxLength: 3 }), { minLength: 2, maxLength: 30 }),
        fc.nat(),
        fc.nat(),
        async (rows, whichRow, at) => {
          const lines = rows.map((r) => r.join(','));
          const target = whichRow % lines.length;
          const original = lines[target] as string;
          const pos = at % (original.length + 1);
          lines[target] = `${original.slice(0, pos)}"${original.slice(pos)}`;
          const text = `h1,h2,h3\n${lines.join('\n')}\n`;
          const { items, linesRead } = await readAll(utf8(text));
          expect(items.reduce((n, i) => n + i.lines, 0)).toBe(linesRead);
          expect(items.filter((i) => i.kind === 'malformed').map((i) => i.line)).toEqual([target + 2]);
          const records = items.filter((i) => i.kind === 'record').slice(1);
          expect(records.map((i) => i.cells)).toEqual(rows.filter((_, i) => i !== target));
        },
      ),
      { numRuns: 300 },
    );
  });
});
