/** `lastlog` output: last login time per account, or never. */
import { splitLines } from './text.js';

export interface LastlogEntry {
  name: string;
  /** Epoch milliseconds of the last login; null when never logged in or unreadable. */
  lastLogin: number | null;
  never: boolean;
  line: number;
  text: string;
}

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};
const DATE =
  /(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+([+-])(\d{2})(\d{2})\s+(\d{4})\s*$/;

export function parseLastlog(stdout: string): LastlogEntry[] {
  const out: LastlogEntry[] = [];
  for (const { n, text } of splitLines(stdout)) {
    const name = /^(\S+)/.exec(text)?.[1];
    if (!name || name === 'Username') continue;
    if (/\*\*Never logged in\*\*/.test(text)) {
      out.push({ name, lastLogin: null, never: true, line: n, text });
      continue;
    }
    const d = DATE.exec(text);
    let lastLogin: number | null = null;
    if (d) {
      const utc = Date.UTC(
        Number(d[9]),
        MONTHS[d[1] as string] ?? 0,
        Number(d[2]),
        Number(d[3]),
        Number(d[4]),
        Number(d[5]),
      );
      const offset = (Number(d[7]) * 60 + Number(d[8])) * 60_000 * (d[6] === '-' ? -1 : 1);
      lastLogin = utc - offset;
    }
    out.push({ name, lastLogin, never: false, line: n, text });
  }
  return out;
}
