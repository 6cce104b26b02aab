/** RFC 4180 CSV: quoted fields, doubled quotes, commas and newlines inside quotes. */

export function toCsvLine(values: readonly string[]): string {
  return values.map((v) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)).join(',');
}

/** Parses CSV text into rows with the 1-based line each row starts on. */
export function parseCsv(text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let inQuotes = false;
  let line = 1;
  let rowLine = 1;
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] as string;
    if (inQuotes) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell === '') inQuotes = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      cells.push(cell);
      if (cells.length > 1 || cells[0] !== '') rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += ch;
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    rows.push({ line: rowLine, cells });
  }
  return rows;
}

/** Why a record is not RFC 4180 CSV, and in which cell (0-based). */
export type CsvSyntaxProblem =
  /** A quoted field opened and never closed (by the end of the text given). */
  | { readonly kind: 'unterminated-quote'; readonly cell: number }
  /** A quote inside an unquoted field, or anything but a comma after a closing quote. */
  | { readonly kind: 'stray-quote'; readonly cell: number };

/**
 * One record, strictly (RFC 4180): a field is either unquoted and holds no quote, or quoted whole, with
 * inner quotes doubled; a quoted field may hold commas and newlines. Unlike `parseCsv`, which reads
 * leniently, any other shape is a problem naming the cell, so a bad quote is never read as data.
 */
export function parseCsvRecord(
  text: string,
): { ok: true; cells: string[] } | { ok: false; problem: CsvSyntaxProblem } {
  const cells: string[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    const cell = cells.length;
    if (text.charCodeAt(i) === 34) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote === -1) return { ok: false, problem: { kind: 'unterminated-quote', cell } };
        value += text.slice(from, quote);
        if (text.charCodeAt(quote + 1) === 34) {
          value += '"';
          from = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      cells.push(value);
      if (i === n) return { ok: true, cells };
      if (text.charCodeAt(i) !== 44) return { ok: false, problem: { kind: 'stray-quote', cell } };
      i++;
    } else {
      const comma = text.indexOf(',', i);
      const value = text.slice(i, comma === -1 ? n : comma);
      if (value.includes('"')) return { ok: false, problem: { kind: 'stray-quote', cell } };
      cells.push(value);
      if (comma === -1) return { ok: true, cells };
      i = comma + 1;
    }
  }
}
