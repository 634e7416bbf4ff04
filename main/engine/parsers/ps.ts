/**
 * `ps -eo user=,pid=,ppid=,comm=,args=` output. The command name is taken as the fourth blank-separated word:
 * a process name containing blanks (rare, e.g. `tmux: server`) is cut at the first blank.
 */
import { parseUint, splitLines } from './text.js';

export interface ProcessEntry {
  user: string;
  pid: number | null;
  ppid: number | null;
  comm: string;
  args: string;
  line: number;
  text: string;
}

export function parsePs(stdout: string): ProcessEntry[] {
  const out: ProcessEntry[] = [];
  for (const { n, text } of splitLines(stdout)) {
    const m = /^\s*(\S+)\s+(\d+)\s+(\d+)\s+(\S+)\s*(.*)$/.exec(text);
    if (!m) continue;
    out.push({
      user: m[1] as string,
      pid: parseUint(m[2]),
      ppid: parseUint(m[3]),
      comm: m[4] as string,
      args: (m[5] ?? '').trim(),
      line: n,
      text,
    });
  }
  return out;
}
