import { describe, expect, it } from 'vitest';
import { parseCsv, toCsvLine } from './csv.js';

describe('csv', () => {
  it('round-trips quotes, commas and newlines', () => {
    const values = ['a', 'b,c', 'say "hi"', 'two\nlines', '[{"relation":"spouse"}]', ''];
    const [row] = parseCsv(`${toCsvLine(values)}\n`);
    expect(row?.cells).toEqual(values);
  });

  it('reports the line each row starts on and skips blank lines and a BOM', () => {
    const rows = parseCsv('\uFEFFh1,h2\r\n1,"x\ny"\n\n2,z');
    expect(rows.map((r) => r.line)).toEqual([1, 2, 5]);
    expect(rows[1]?.cells).toEqual(['1', 'x\ny']);
  });
});
