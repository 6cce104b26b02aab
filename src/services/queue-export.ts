/**
 * The filtered queue as a file a clerk opens in Excel, WPS or LibreOffice: CSV (UTF-8 with a byte-order
 * mark, which Excel needs to read Chinese; CRLF lines, RFC 4180 quoting) or a real .xlsx (Office Open XML:
 * a zip of a workbook with one sheet of inline strings, written with fflate). Chinese column headers;
 * times in China time whatever the server's zone. Citizen ids arrive already masked unless the officer
 * may see them in full (the route decides). No I/O; listed with the I/O side only for the zip library.
 */
import { strToU8, zipSync } from 'fflate';

export interface ExportTable {
  /** The sheet's name (Excel allows 31 characters, no []:*?/\). */
  readonly sheetName: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly (string | number | null)[])[];
}

const chinaDateTime = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * An instant as "YYYY-MM-DD HH:mm" in China time.
 *
 * @example chinaDateTimeText('2026-03-02T16:30:00Z') // '2026-03-03 00:30'
 */
export function chinaDateTimeText(iso: string): string {
  const parts = Object.fromEntries(chinaDateTime.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/**
 * A spreadsheet treats a cell starting with = + - @ (or a tab / carriage return) as a formula: an
 * applicant's name could carry one (CSV injection). Such text gets a leading apostrophe.
 */
function defused(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const cellText = (v: string | number | null) =>
  v === null ? '' : typeof v === 'number' ? String(v) : defused(v);

/** CSV lines (RFC 4180 quoting, CRLF after each): an export written a page at a time joins them. */
export function csvLines(rows: readonly (readonly (string | number | null)[])[]): string {
  const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return rows.map((row) => `${row.map((v) => quote(cellText(v))).join(',')}\r\n`).join('');
}

/** The start of a CSV file: the byte-order mark Excel needs for UTF-8, and the header line. */
export const csvHead = (header: readonly string[]) => `\uFEFF${csvLines([header])}`;

/** CSV, UTF-8 with BOM. */
export function toCsv(table: ExportTable): Uint8Array {
  return strToU8(csvHead(table.header) + csvLines(table.rows));
}

const xml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Control characters other than tab and newlines are not allowed in XML 1.0.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');

/** A1-style column letters: 0 → A, 25 → Z, 26 → AA. */
export function columnName(index: number): string {
  let n = index + 1;
  let name = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    name = String.fromCharCode(65 + r) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

function sheetXml(table: ExportTable): string {
  const cell = (v: string | number | null, ref: string, style: number) => {
    if (v === null) return '';
    const s = style ? ` s="${style}"` : '';
    if (typeof v === 'number') return `<c r="${ref}"${s}><v>${v}</v></c>`;
    return `<c r="${ref}" t="inlineStr"${s}><is><t xml:space="preserve">${xml(cellText(v))}</t></is></c>`;
  };
  const rows = [table.header, ...table.rows].map(
    (row, r) =>
      `<row r="${r + 1}">${row.map((v, c) => cell(v, `${columnName(c)}${r + 1}`, r === 0 ? 1 : 0)).join('')}</row>`,
  );
  const widths = table.header
    .map((_, c) => `<col min="${c + 1}" max="${c + 1}" width="${c === 0 ? 22 : 18}" customWidth="1"/>`)
    .join('');
  return (
    `${HEAD}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
    `<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>` +
    `<cols>${widths}</cols><sheetData>${rows.join('')}</sheetData></worksheet>`
  );
}

/** A minimal but complete .xlsx: content types, relationships, workbook, styles (bold header), one sheet. */
export function toXlsx(table: ExportTable): Uint8Array {
  const name = xml(table.sheetName.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31));
  const files: Record<string, string> = {
    '[Content_Types].xml':
      `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
      '</Types>',
    '_rels/.rels':
      `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
      '</Relationships>',
    'xl/workbook.xml':
      `${HEAD}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
      `<sheets><sheet name="${name}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels':
      `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
      '</Relationships>',
    'xl/styles.xml':
      `${HEAD}<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
      '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
      '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
      '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
      '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>' +
      '</styleSheet>',
    'xl/worksheets/sheet1.xml': sheetXml(table),
  };
  // A fixed modification time: the same table gives the same bytes.
  const mtime = new Date('2020-01-01T00:00:00Z');
  return zipSync(
    Object.fromEntries(Object.entries(files).map(([path, text]) => [path, [strToU8(text), { mtime }]])),
    { level: 6 },
  );
}
