/**
 * Reads back the first sheet of an .xlsx as rows of text, the way a spreadsheet would: it unzips the
 * package, follows the workbook's relationship to the sheet, and reads inline strings, shared strings
 * and numbers by their cell reference (so a missing cell stays an empty column).
 */
import { strFromU8, unzipSync } from 'fflate';

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

const columnIndex = (letters: string) =>
  [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;

export function readXlsx(bytes: Uint8Array): { sheetName: string; rows: string[][] } {
  const files = unzipSync(bytes);
  const text = (path: string) => {
    const file = files[path];
    if (!file) throw new Error(`the package has no ${path}`);
    return strFromU8(file);
  };
  if (!text('[Content_Types].xml').includes('spreadsheetml.sheet.main+xml'))
    throw new Error('not a spreadsheet package');
  const workbook = text('xl/workbook.xml');
  const sheet = /<sheet [^>]*name="([^"]*)"[^>]*r:id="([^"]+)"/.exec(workbook);
  if (!sheet) throw new Error('the workbook names no sheet');
  const rels = text('xl/_rels/workbook.xml.rels');
  const target = new RegExp(`Id="${sheet[2]}"[^>]*Target="([^"]+)"`).exec(rels)?.[1];
  if (!target) throw new Error('the sheet has no relationship');
  const shared = files['xl/sharedStrings.xml']
    ? [...strFromU8(files['xl/sharedStrings.xml']).matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
        unescape([...(m[1] ?? '').matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')),
      )
    : [];
  const rows: string[][] = [];
  for (const row of text(`xl/${target}`).matchAll(/<row [^>]*>([\s\S]*?)<\/row>/g)) {
    const cells: string[] = [];
    for (const c of (row[1] ?? '').matchAll(/<c r="([A-Z]+)\d+"([^>]*)>([\s\S]*?)<\/c>/g)) {
      const [, col = 'A', attrs = '', inner = ''] = c;
      const value = attrs.includes('t="inlineStr"')
        ? unescape(/<t[^>]*>([\s\S]*?)<\/t>/.exec(inner)?.[1] ?? '')
        : attrs.includes('t="s"')
          ? (shared[Number(/<v>(\d+)<\/v>/.exec(inner)?.[1])] ?? '')
          : unescape(/<v>([\s\S]*?)<\/v>/.exec(inner)?.[1] ?? '');
      const index = columnIndex(col);
      while (cells.length < index) cells.push('');
      cells[index] = value;
    }
    rows.push(cells);
  }
  return { sheetName: unescape(sheet[1] ?? ''), rows };
}
