/**
 * Restricted sudo in a parsed snapshot: the command lines sudo ran go onto the facts they read, a read no allowed
 * command could do is marked "not in the sudo rules granted to <user>", and the run gets its summary (the rules as
 * listed, the distinct commands used, the facts left unread).
 */
import type { CommandFact, Fact, SudoReads } from '../../shared/facts/snapshot.js';
import type { FieldData } from './field.js';
import type { RawCollection } from './frames.js';
import { allowedCount, parseSudoListing } from './sudo-rules.js';
import { decodeText, DENIED_RE } from './to-fact.js';

export { allowedCount };

/** The reason a root-only read stays undone under restricted sudo. */
export function notInRules(user: string): string {
  return `not in the sudo rules granted to ${user || 'the login user'}`;
}

/** The login user according to `host.id` (its second line is `id -un`). */
export function loginUser(facts: Record<string, Fact>): string {
  const f = facts['host.id'] as CommandFact | undefined;
  if (!f || f.kind !== 'command') return '';
  return (f.stdout.split('\n')[1] ?? '').trim().slice(0, 64);
}

function lines(list: FieldData[] | undefined): string[] {
  return (list ?? []).map((d) => decodeText(d.bytes).replace(/\n+$/, '')).filter((l) => l !== '');
}

/** Applies the raw frames' sudo marks to `facts` and returns the summary; undefined when sudo reads were off. */
export function applySudoReads(raw: RawCollection, facts: Record<string, Fact>): SudoReads | undefined {
  if (!raw.sudoReads) return undefined;
  const user = loginUser(facts);
  const why = notInRules(user);
  const used: string[] = [];
  const unread: string[] = [];
  const use = (l: string[]): string[] => {
    for (const c of l) if (!used.includes(c)) used.push(c);
    return l;
  };
  for (const [id, fr] of raw.frames) {
    const fact = facts[id];
    if (!fact) continue;
    let refused = false;
    if (fact.kind === 'command') {
      const l = use(lines(fr.sudo));
      if (l.length > 0) {
        fact.sudo = l;
        // Run by root through sudo: a failure is the command's own, as it would be for a root scan.
        if (fact.problem === 'denied' && !DENIED_RE.test(fact.stderr.slice(0, 4096))) {
          delete fact.problem;
          delete fact.detail;
        }
      }
      // Not run at all (no exit status, by design): what stands is that the rules allow none of its candidates.
      if (fr.nosudo && fr.closed && !fr.corrupt) {
        fact.problem = 'denied';
        fact.detail = why;
        refused = true;
      }
    } else if (fact.kind !== 'paths') {
      // (Paths facts come from the one unprivileged walk, never through sudo.)
      const files = fact.kind === 'file' ? [fact] : fact.files;
      if (fact.kind === 'fileset') {
        const l = use(lines(fr.sudo));
        if (l.length > 0) fact.sudo = l;
      }
      fr.entries.forEach((e, i) => {
        const f = files[i];
        if (!f) return;
        const l = use(lines(e.sudo));
        if (l.length > 0) {
          // Read through sudo without a hash on the target: to-fact.ts hashed a whole content (never a redacted one).
          f.sudo = l;
        }
        if (e.nosudo && f.problem === 'denied') {
          f.detail = why;
          refused = true;
        }
      });
      // Under restricted sudo every blocked pattern was tried through sudo: what is still blocked is not allowed.
      if (fact.kind === 'fileset' && fr.deniedPatterns.length > 0) refused = true;
      if (refused && fact.kind === 'fileset' && fact.problem === 'denied') fact.detail = `${fact.detail ?? 'not readable'}: ${why}`;
    }
    if (refused) unread.push(id);
  }
  const rules = facts['sudo.rules'];
  const listing = parseSudoListing(rules?.kind === 'command' ? rules.stdout : '');
  return { user, listing, commands: used, unread };
}
