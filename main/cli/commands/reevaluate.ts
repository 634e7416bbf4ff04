/**
 * `foureyes reevaluate FILE [--json]`: evaluates every snapshot of a scan export (`foureyes export scan`) again
 * with the check definitions and attestation answers the file carries (never the local catalogue), and says per
 * host how many verdicts agree with those stored beside the snapshot and each that does not. A definition whose
 * digest is not the one the scan ran is reported too. Exit 0 when all agree, 1 otherwise; a malformed file is an
 * error naming the file and the field (exit 2). Everything read from the file is untrusted: shown through `term`.
 */
import type { Verdict } from '../../../shared/model/results.js';
import type { AttestationAnswer } from '../../engine/context.js';
import { evaluateAll } from '../../engine/evaluate.js';
import { readScanExportFile, snapshotOf, type ReadScanExport } from '../../export/scan-json.js';
import { term, termJson } from '../term.js';

export interface Disagreement {
  checkId: string;
  /** The verdict stored in the file; null when the file stores none for this check. */
  stored: Verdict | null;
  now: Verdict;
}

export interface HostReevaluation {
  hostRunId: string;
  name: string;
  /** False when the host run has no snapshot or no results to compare with (it failed or was cancelled). */
  evaluated: boolean;
  agree: number;
  disagreements: Disagreement[];
}

export interface Reevaluation {
  file: string;
  scanId: string;
  checks: { total: number; builtin: number; pack: number; tailored: number };
  profile: string | null;
  /** Definitions in the file whose digest is not the one declared (and the scan's results were made with). */
  changedDefinitions: { checkId: string; declared: string; computed: string }[];
  hosts: HostReevaluation[];
  agree: boolean;
}

/** Evaluates the file's snapshots again; pure apart from the engine. */
export function reevaluate(read: ReadScanExport, file: string): Reevaluation {
  const { doc } = read;
  const checks = read.checks.map((c) => c.check);
  const answers = new Map<string, AttestationAnswer>(
    doc.attestations.map((a) => [a.checkId, { answer: a.answer, note: a.note, by: a.by, at: a.at }]),
  );
  const hosts = doc.hosts.map((h): HostReevaluation => {
    const snapshot = snapshotOf(h);
    if (!snapshot || h.results.length === 0)
      return { hostRunId: h.hostRunId, name: h.name, evaluated: false, agree: 0, disagreements: [] };
    const stored = new Map(h.results.map((r) => [r.checkId, r.verdict]));
    let agree = 0;
    const disagreements: Disagreement[] = [];
    for (const r of evaluateAll(snapshot, checks, answers)) {
      const was = stored.get(r.checkId) ?? null;
      if (was === r.verdict) agree++;
      else disagreements.push({ checkId: r.checkId, stored: was, now: r.verdict });
    }
    return { hostRunId: h.hostRunId, name: h.name, evaluated: true, agree, disagreements };
  });
  const changedDefinitions = read.checks
    .filter((c) => c.computedDigest !== c.entry.digest)
    .map((c) => ({ checkId: c.entry.id, declared: c.entry.digest, computed: c.computedDigest }));
  const count = (o: string) => doc.checks.filter((c) => c.origin === o).length;
  return {
    file,
    scanId: doc.scan.id,
    checks: { total: doc.checks.length, builtin: count('builtin'), pack: count('pack'), tailored: count('tailored') },
    profile: doc.profile?.id ?? null,
    changedDefinitions,
    hosts,
    agree: changedDefinitions.length === 0 && hosts.every((h) => h.disagreements.length === 0),
  };
}

const show = (v: Verdict | null): string => (v === null ? 'no stored result' : v.replace('_', ' '));

export function reevaluateCommand(file: string, o: Record<string, unknown>): number {
  const r = reevaluate(readScanExportFile(file), file);
  if (o.json) process.stdout.write(`${termJson(r)}\n`);
  else {
    const lines: string[] = [];
    const c = r.checks;
    lines.push(
      `${term(file)}: scan ${term(r.scanId)}, ${c.total} checks (${c.builtin} built-in, ${c.pack} from packs, ${c.tailored} tailored)` +
        `${r.profile !== null ? `, profile ${term(r.profile)}` : ''}`,
    );
    for (const h of r.hosts) {
      if (!h.evaluated) {
        lines.push(`  ${term(h.name)}: not evaluated (no snapshot or no results stored)`);
        continue;
      }
      lines.push(`  ${term(h.name)}: ${h.agree} agree, ${h.disagreements.length} disagree`);
      for (const d of h.disagreements) lines.push(`    ${term(d.checkId)}: stored ${show(d.stored)}, now ${show(d.now)}`);
    }
    for (const d of r.changedDefinitions)
      lines.push(`  definition of ${term(d.checkId)} is not the one the scan ran (digest ${d.computed.slice(0, 12)}, the scan's ${d.declared.slice(0, 12)})`);
    const n = r.hosts.reduce((s, h) => s + h.disagreements.length, 0);
    lines.push(
      r.agree
        ? 'every verdict agrees'
        : `${n} verdict${n === 1 ? '' : 's'} disagree${n === 1 ? 's' : ''}` +
            `${r.changedDefinitions.length > 0 ? `; ${r.changedDefinitions.length} definition${r.changedDefinitions.length === 1 ? '' : 's'} changed` : ''}`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return r.agree ? 0 : 1;
}
