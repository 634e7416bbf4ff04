/** `nft list ruleset` and `iptables-save` output: is unsolicited incoming traffic dropped by default? */
import { splitLines } from './text.js';

export interface NftChain {
  family: string;
  table: string;
  name: string;
  /** Hook of a base chain (`input`, `forward`, ...), absent for regular chains. */
  hook?: string;
  /** `accept` / `drop` for base chains. */
  policy?: string;
  /** Rule lines in order (statements other than the chain header). */
  rules: { line: number; text: string }[];
  line: number;
  text: string;
}

/** Extracts chains from an nft ruleset listing (brace-structured, one statement per line as nft prints it). */
export function parseNftRuleset(stdout: string): NftChain[] {
  const chains: NftChain[] = [];
  let depth = 0;
  let table: { family: string; name: string; depth: number } | null = null;
  let chain: NftChain | null = null;
  let chainDepth = -1;
  for (const { n, text } of splitLines(stdout)) {
    const t = text.trim();
    if (t === '' || t.startsWith('#')) continue;
    const tm = /^table\s+(\S+)\s+(\S+)\s*\{$/.exec(t) ?? /^table\s+(\S+)\s*\{$/.exec(t);
    const cm = /^chain\s+(\S+)\s*\{$/.exec(t);
    if (tm && depth === 0) {
      table =
        tm[2] !== undefined
          ? { family: tm[1] as string, name: tm[2], depth }
          : { family: 'ip', name: tm[1] as string, depth };
      depth++;
      continue;
    }
    if (cm && table && depth === table.depth + 1) {
      chain = { family: table.family, table: table.name, name: cm[1] as string, rules: [], line: n, text };
      chains.push(chain);
      chainDepth = depth;
      depth++;
      continue;
    }
    const opens = (t.match(/\{/g) ?? []).length;
    const closes = (t.match(/\}/g) ?? []).length;
    if (chain && depth === chainDepth + 1 && t !== '}') {
      const hook = /\btype\s+\S+\s+hook\s+(\S+)/.exec(t);
      const policy = /\bpolicy\s+(accept|drop)\b/.exec(t);
      if (hook) chain.hook = (hook[1] as string).replace(/;$/, '');
      if (policy) chain.policy = policy[1] as string;
      if (!hook && !policy && chain.rules.length < 10_000) chain.rules.push({ line: n, text: t });
    }
    depth = Math.max(0, depth + opens - closes);
    if (chain && depth <= chainDepth) chain = null;
    if (table && depth <= table.depth) table = null;
  }
  return chains;
}

/** A rule that drops or rejects everything it sees (no match expression before the verdict). */
export function isUnconditionalDrop(rule: string): boolean {
  return /^(counter(\s+packets\s+\d+\s+bytes\s+\d+)?\s+)?(log(\s+prefix\s+"[^"]*")?(\s+level\s+\S+)?\s+)?(drop|reject)\b/.test(
    rule.trim(),
  );
}

export interface IptablesTable {
  name: string;
  /** Built-in chain policies, e.g. INPUT -> DROP. */
  policies: Map<string, { policy: string; line: number; text: string }>;
  rules: { chain: string; spec: string; line: number; text: string }[];
}

export function parseIptablesSave(stdout: string): IptablesTable[] {
  const tables: IptablesTable[] = [];
  let cur: IptablesTable | null = null;
  for (const { n, text } of splitLines(stdout)) {
    const t = text.trim();
    if (t === '' || t.startsWith('#')) continue;
    const tm = /^\*(\S+)$/.exec(t);
    if (tm) {
      cur = { name: tm[1] as string, policies: new Map(), rules: [] };
      tables.push(cur);
      continue;
    }
    if (!cur) continue;
    if (t === 'COMMIT') {
      cur = null;
      continue;
    }
    const pm = /^:(\S+)\s+(\S+)/.exec(t);
    if (pm) {
      cur.policies.set(pm[1] as string, { policy: pm[2] as string, line: n, text: t });
      continue;
    }
    const rm = /^-A\s+(\S+)\s*(.*)$/.exec(t);
    if (rm && cur.rules.length < 50_000)
      cur.rules.push({ chain: rm[1] as string, spec: (rm[2] as string).trim(), line: n, text: t });
  }
  return tables;
}

/** `-j DROP` or `-j REJECT [--reject-with x]` with no match before it (counters and comments allowed). */
export function isUnconditionalIptablesDrop(spec: string): boolean {
  const s = spec
    .replace(/-m\s+comment\s+--comment\s+("[^"]*"|\S+)\s*/g, '')
    .replace(/^-c\s+\d+\s+\d+\s*/, '')
    .trim();
  return /^-j\s+(DROP|REJECT)(\s+--reject-with\s+\S+)?$/.test(s);
}
