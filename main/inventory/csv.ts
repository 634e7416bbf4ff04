import { parse } from 'csv-parse/sync';
import { FoureyesError } from '../../shared/model/errors.js';
import type { InventoryHost, InventoryParse } from './types.js';
import { collect, setPort, shown } from './validate.js';

const ALIASES: Record<string, keyof InventoryHost | 'ignore'> = {
  name: 'name', host: 'name', hostname: 'name',
  address: 'address', ip: 'address', addr: 'address',
  port: 'port', user: 'user', username: 'user',
  identity: 'identityFile', identityfile: 'identityFile', key: 'identityFile',
  jump: 'jump', proxyjump: 'jump', jumphost: 'jump',
  groups: 'groups', group: 'groups', tags: 'groups',
};

type Parsed = { record: Record<string, string>; raw: string; info: { bytes: number } };

/**
 * Where rows start. csv-parse counts bytes and reports the line where it stopped (a row's last line, or for an
 * unclosed quote the end of the file); a person needs the line where the row, and so its quote, began.
 */
class Lines {
  private readonly buf: Buffer;
  private at = 0;
  private line = 1;
  constructor(text: string) {
    this.buf = Buffer.from(text, 'utf8');
  }
  /** 1-based line of the first row content at or after byte `offset`, past blank and comment lines. */
  rowStart(offset: number): number {
    if (offset < this.at) {
      this.at = 0;
      this.line = 1;
    }
    for (; this.at < offset && this.at < this.buf.length; this.at++) if (this.buf[this.at] === 0x0a) this.line++;
    let line = this.line;
    let i = offset === 0 && this.buf[0] === 0xef ? 3 : offset; // a BOM
    for (;;) {
      let j = i;
      while (j < this.buf.length && (this.buf[j] === 0x20 || this.buf[j] === 0x09 || this.buf[j] === 0x0d)) j++;
      const blank = j >= this.buf.length || this.buf[j] === 0x0a || this.buf[j] === 0x23; // '#': a comment line
      if (!blank || j >= this.buf.length) return line;
      const nl = this.buf.indexOf(0x0a, j);
      if (nl < 0) return line;
      i = nl + 1;
      line++;
    }
  }
}

interface CsvParseError {
  code?: string;
  lines?: number;
  bytes_records?: number;
  column?: string | number;
}

/** A sentence for csv-parse's refusal, at the line where the failing row (and its quote) began. */
function csvProblem(e: unknown, file: string, lines: Lines): string {
  const err = (e ?? {}) as CsvParseError;
  const start = lines.rowStart(err.bytes_records ?? 0);
  const stopped = err.lines ?? start;
  const column = typeof err.column === 'string' ? ` ${shown(err.column)}` : '';
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `${file}:${start}: The row starting on this line opens a quote (") that is never closed; close it or remove it.`;
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return stopped > start
        ? `${file}:${start}: A quote (") opened in the row starting on this line is only closed on line ${stopped}, ` +
            `where other characters follow it; close it on line ${start} or remove it.`
        : `${file}:${start}: A closing quote (") in field${column} is followed by other characters; ` +
            'inside a quoted field, write a quote twice ("").';
    case 'INVALID_OPENING_QUOTE':
      return `${file}:${stopped}: Field${column} has a quote (") inside an unquoted value; ` +
        'quote the whole field and write the quote twice ("").';
    default:
      return `${file}:${start}: The row starting on this line is not valid CSV.`;
  }
}

/**
 * CSV with a header row. Columns (case-insensitive): name/host, address/ip, port, user, identity, jump, groups
 * (separated by ';' or '|'). A row without an address uses its name as the address. Rows are reported at the line
 * where they start.
 */
export function parseCsvInventory(text: string, file = 'CSV'): InventoryParse {
  const lines = new Lines(text);
  let records: Parsed[];
  try {
    records = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      info: true,
      raw: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      relax_column_count: true,
      comment: '#',
    }) as Parsed[];
  } catch (e) {
    throw new FoureyesError('bad_input', csvProblem(e, file, lines));
  }
  if (records.length === 0) return { hosts: [], problems: [] };
  const cols = Object.keys(records[0]!.record);
  if (!cols.some((c) => ALIASES[c] === 'name' || ALIASES[c] === 'address'))
    throw new FoureyesError(
      'bad_input',
      `${file}:1: The header row needs a "name" or "address" column (found: ${cols.slice(0, 12).map(shown).join(', ')}).`,
    );
  const entries = records.map(({ record, raw, info }) => {
    const h: InventoryHost = { name: '', address: '', groups: [] };
    for (const [k, v] of Object.entries(record)) {
      const field = ALIASES[k];
      if (!field || v === undefined || v === '') continue;
      if (field === 'port') setPort(h, v);
      else if (field === 'groups') h.groups = v.split(/[;|]/).map((s) => s.trim()).filter(Boolean);
      else if (field !== 'ignore') (h as unknown as Record<string, string>)[field] = v;
    }
    if (!h.address) h.address = h.name;
    if (!h.name) h.name = h.address;
    return { host: h, line: lines.rowStart(info.bytes - Buffer.byteLength(raw, 'utf8')) };
  });
  return collect(entries, file, { distinctNames: true });
}
