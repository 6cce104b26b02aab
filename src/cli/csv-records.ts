/**
 * Reads a CSV file of legacy data as records that account for every physical line: each line ends up in
 * exactly one record, one malformed row, or one blank line, with its line number. A bad line costs only
 * itself, never the rest of the file:
 *
 * - Lines are split on LF in the raw bytes (LF, comma and quote never occur inside a multi-byte character
 *   of UTF-8 or GB18030 / GBK) and decoded one at a time, strictly: a byte the encoding does not allow
 *   makes that line a malformed row, not the whole file unreadable.
 * - Records are parsed strictly (`parseCsvRecord`). A quoted field may span lines, but only while the
 *   record then parses with the header's width within `maxSpanLines` lines: otherwise the quote is taken as
 *   unterminated, the line it opened on is a malformed row, and reading resumes on the next line, so an
 *   unterminated quote never swallows the rows after it.
 * - A NUL character (which PostgreSQL cannot store) makes its row malformed.
 */
import { TextDecoder } from 'node:util';
import { parseCsv, parseCsvRecord, type CsvSyntaxProblem } from './csv.js';

export type CsvLineProblem =
  | CsvSyntaxProblem
  /** `byte` is 1-based within the line: where the decoder found the sequence invalid. */
  | { readonly kind: 'encoding'; readonly byte: number }
  | { readonly kind: 'column-count'; readonly count: number; readonly expected: number }
  | { readonly kind: 'nul'; readonly cell: number };

export type CsvItem =
  /** A well-formed record starting on `line` and spanning `lines` physical lines. */
  | { readonly kind: 'record'; readonly line: number; readonly lines: number; readonly cells: string[] }
  /** A malformed row; `cells` is a lenient best-effort reading, for reporting only. */
  | {
      readonly kind: 'malformed';
      readonly line: number;
      readonly lines: number;
      readonly problem: CsvLineProblem;
      readonly cells: string[];
    }
  | { readonly kind: 'blank'; readonly line: number; readonly lines: 1 };

export interface CsvReaderOptions {
  readonly encoding: string;
  /** The header's width, once known: a record of another width is malformed. */
  readonly width: () => number | undefined;
  /** The most physical lines one record may span (a quoted field with line breaks). */
  readonly maxSpanLines?: number;
  /** The most characters one multi-line record may hold. */
  readonly maxRecordChars?: number;
}

interface PhysicalLine {
  readonly line: number;
  readonly text: string;
  /** Set when the line's bytes are not valid in the encoding; `text` is then a lenient decoding. */
  readonly badByte?: number;
}

/** Splits a byte stream into lines on LF, without the LF; the last line may lack one. */
async function* byteLines(input: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  let carry: Buffer | undefined;
  for await (const raw of input) {
    const chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    let start = 0;
    for (;;) {
      const lf = chunk.indexOf(10, start);
      if (lf === -1) break;
      const part = chunk.subarray(start, lf);
      if (carry) {
        yield Buffer.concat([carry, part]);
        carry = undefined;
      } else yield part;
      start = lf + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      carry = carry ? Buffer.concat([carry, rest]) : Buffer.from(rest);
    }
  }
  if (carry && carry.length > 0) yield carry;
}

/** The 1-based byte at which a strict decoder first refuses `bytes`. */
function firstBadByte(bytes: Uint8Array, encoding: string): number {
  for (let end = 1; end <= bytes.length; end++) {
    try {
      new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(0, end), { stream: true });
    } catch {
      return end;
    }
  }
  // Every prefix decodes: the line ends inside a character.
  return bytes.length;
}

export class CsvRecordReader {
  /** Physical lines read so far: at the end, the sum of `lines` over every item yielded. */
  linesRead = 0;
  private readonly strict: TextDecoder;
  private readonly lenient: TextDecoder;
  private readonly maxSpanLines: number;
  private readonly maxRecordChars: number;
  /** The lines of a record whose quoted field is still open, and that field's cell. */
  private pending: PhysicalLine[] = [];
  private pendingCell = 0;

  constructor(private readonly options: CsvReaderOptions) {
    this.strict = new TextDecoder(options.encoding, { fatal: true });
    this.lenient = new TextDecoder(options.encoding);
    this.maxSpanLines = options.maxSpanLines ?? 10;
    this.maxRecordChars = options.maxRecordChars ?? 65_536;
  }

  async *read(input: AsyncIterable<Uint8Array>): AsyncGenerator<CsvItem> {
    for await (const bytes of byteLines(input)) {
      const line = ++this.linesRead;
      let physical: PhysicalLine;
      try {
        physical = { line, text: stripCr(this.strict.decode(bytes)) };
      } catch {
        physical = {
          line,
          text: stripCr(this.lenient.decode(bytes)),
          badByte: firstBadByte(bytes, this.options.encoding),
        };
      }
      yield* this.take(physical);
    }
    while (this.pending.length > 0) yield* this.giveUp();
  }

  private *take(p: PhysicalLine): Generator<CsvItem> {
    if (this.pending.length === 0) {
      if (p.badByte !== undefined) {
        yield this.malformed(p, { kind: 'encoding', byte: p.badByte });
        return;
      }
      if (p.text === '') {
        yield { kind: 'blank', line: p.line, lines: 1 };
        return;
      }
      const parsed = parseCsvRecord(p.text);
      if (parsed.ok) yield this.checked(p, 1, parsed.cells);
      else if (parsed.problem.kind === 'unterminated-quote') {
        this.pending = [p];
        this.pendingCell = parsed.problem.cell;
      } else yield this.malformed(p, parsed.problem);
      return;
    }
    if (p.badByte !== undefined) {
      // A line that cannot be decoded is no continuation: the open record cannot be completed.
      yield* this.giveUp();
      yield* this.take(p);
      return;
    }
    this.pending.push(p);
    const text = this.pending.map((l) => l.text).join('\n');
    const parsed = parseCsvRecord(text);
    const width = this.options.width();
    if (parsed.ok) {
      if (width === undefined || parsed.cells.length === width) {
        const first = this.pending[0] as PhysicalLine;
        const lines = this.pending.length;
        this.pending = [];
        yield this.checked(first, lines, parsed.cells);
      } else yield* this.giveUp();
    } else if (
      parsed.problem.kind !== 'unterminated-quote' ||
      this.pending.length >= this.maxSpanLines ||
      text.length > this.maxRecordChars
    )
      yield* this.giveUp();
  }

  /** The open quote does not close as a record: its first line is malformed; the others are read again. */
  private *giveUp(): Generator<CsvItem> {
    const [first, ...rest] = this.pending;
    this.pending = [];
    if (!first) return;
    yield this.malformed(first, { kind: 'unterminated-quote', cell: this.pendingCell });
    for (const l of rest) yield* this.take(l);
  }

  private checked(first: PhysicalLine, lines: number, cells: string[]): CsvItem {
    const width = this.options.width();
    if (width !== undefined && cells.length !== width)
      return this.malformed(first, { kind: 'column-count', count: cells.length, expected: width });
    const nul = cells.findIndex((c) => c.includes('\0'));
    // A well-formed record holding a NUL is refused whole, every line of it.
    if (nul !== -1) return this.malformed(first, { kind: 'nul', cell: nul }, cells, lines);
    return { kind: 'record', line: first.line, lines, cells };
  }

  private malformed(p: PhysicalLine, problem: CsvLineProblem, cells?: string[], lines = 1): CsvItem {
    return {
      kind: 'malformed',
      line: p.line,
      lines,
      problem,
      cells: cells ?? parseCsv(p.text.replaceAll('\r', ''))[0]?.cells ?? [],
    };
  }
}

const stripCr = (text: string) => (text.endsWith('\r') ? text.slice(0, -1) : text);
