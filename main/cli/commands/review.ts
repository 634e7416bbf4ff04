/**
 * `foureyes review export|import|list|answer|import-answer`: the offline review between two workstations, through
 * the same review service and contract validation as the API (main/services/review.ts over main/review/). Files are
 * read and checked (size) before a passphrase is asked; a refused file exits 2 with the library's reason, naming
 * what and where. `import-answer` exits 1 when some decisions were refused (each named), 0 when all were applied.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { MethodOutput } from '../../../shared/api/contract.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import type { Acting } from '../../people/acting.js';
import { MAX_ANSWER_BYTES, MAX_PACKAGE_BYTES } from '../../review/format.js';
import { storedPackage } from '../../review/import.js';
import { reviewService } from '../../services/review.js';
import type { Workspace } from '../../store/db.js';
import { actingFromCli } from '../acting.js';
import { shortId } from '../finding-text.js';
import { contractInput, resolveEngagementId } from '../findings-service.js';
import { term, termJson } from '../term.js';
import { openExisting, openForWriting } from '../workspace.js';

type Opts = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function readFile(file: string, max: number, what: string): Buffer {
  try {
    const size = statSync(file).size;
    if (size > max)
      throw new FoureyesError('bad_input', `${file}: ${size} bytes is larger than a ${what} may be (${max} bytes)`);
    return readFileSync(file);
  } catch (e) {
    if (e instanceof FoureyesError) throw e;
    throw new FoureyesError('bad_input', `cannot read the ${what} ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function writeFile(file: string, base64: string): void {
  try {
    writeFileSync(file, Buffer.from(base64, 'base64'), { mode: 0o600 });
  } catch (e) {
    throw new FoureyesError('bad_input', `cannot write ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** A library refusal of a file names the file it came from. */
function fromFile<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof FoureyesError) throw new FoureyesError(e.code, `${file}: ${e.message}`, e.details);
    throw e;
  }
}

async function asPerson(
  ws: Workspace,
  o: Opts,
  command: string,
): Promise<Acting> {
  const as = str(o.as);
  if (!as) throw new FoureyesError('bad_input', `${command}: say who acts with --as NAME`);
  return actingFromCli(ws, as, { file: str(o.passphraseFile) });
}

function print(o: Opts, value: unknown, lines: string[]): void {
  process.stdout.write(o.json ? `${termJson(value)}\n` : `${lines.join('\n')}\n`);
}

async function withWorkspace(ws: Workspace, fn: (ws: Workspace) => Promise<number> | number): Promise<number> {
  try {
    return await fn(ws);
  } finally {
    ws.close();
  }
}

export function reviewExport(o: Opts): Promise<number> {
  const file = str(o.output);
  const engagement = str(o.engagement);
  if (!file || !engagement)
    throw new FoureyesError('bad_input', 'review export: give --engagement ID|NAME and -o FILE');
  return withWorkspace(openExisting(str(o.workspace)), async (ws) => {
    const engagementId = resolveEngagementId(ws, engagement);
    const findings = list(o.finding);
    const input = contractInput(
      'review.export',
      { engagementId, ...(findings.length ? { findingIds: findings } : {}) },
      'review export',
    );
    const acting = await asPerson(ws, o, 'review export');
    const out = reviewService(ws).export(input, acting);
    writeFile(file, out.contentBase64);
    const { contentBase64: _bytes, ...shown } = out;
    print(o, { ...shown, file }, [
      `exported ${out.findings.length} finding${out.findings.length === 1 ? '' : 's'} in review as package ${out.packageId}, signed by ${term(acting.actor.name)}, to ${term(file)}`,
      `sha256 ${out.sha256}`,
      ...out.findings.map((f) => `  ${shortId(f.id)}  revision ${f.revision}  ${term(f.title)}`),
    ]);
    return 0;
  });
}

type Summary = MethodOutput<'review.import'>;

function summaryLines(s: Summary): string[] {
  const status = { known: 'known here', added: 'added as a colleague', unknown: 'not known here' }[s.exporterStatus];
  return [
    `${s.alreadyImported ? 'already imported' : 'imported'}: review package ${s.id} from ${term(s.exporter.name)} (${term(s.exporter.role)}, ${s.exporter.fingerprint}; ${status})`,
    `engagement ${term(s.engagement.name)}, ${s.engagement.approvalsRequired} approval${s.engagement.approvalsRequired === 1 ? '' : 's'} required; exporter's trail ${s.checkpoint.count} events`,
    `${s.findings.length} finding${s.findings.length === 1 ? '' : 's'} to review:`,
    ...s.findings.map(
      (f) =>
        `  ${shortId(f.id)}  ${f.severity.padEnd(8)} ${term(f.title)}  [${f.hosts.map((h) => term(h.name)).join(', ') || 'no hosts'}; by ${f.authors.map(term).join(', ') || 'nobody'}]`,
    ),
  ];
}

export function reviewImport(file: string, o: Opts): Promise<number> {
  const bytes = readFile(file, MAX_PACKAGE_BYTES, 'review package');
  return withWorkspace(openForWriting(str(o.workspace)), async (ws) => {
    const acting = await asPerson(ws, o, 'review import');
    const s = fromFile(file, () =>
      reviewService(ws).import({ contentBase64: bytes.toString('base64') }, acting),
    );
    print(o, s, summaryLines(s));
    return 0;
  });
}

export function reviewList(o: Opts): Promise<number> {
  return withWorkspace(openExisting(str(o.workspace)), (ws) => {
    const l = reviewService(ws).list({});
    const lines: string[] = [];
    lines.push(l.received.length ? 'received (reviews to do here):' : 'no review package received');
    for (const p of l.received)
      lines.push(
        `  ${p.id}  ${p.state === 'answered' ? `answered ${p.answer!.at}` : 'to answer'}  ${p.findings} finding${p.findings === 1 ? '' : 's'}  from ${term(p.exporterName)}  engagement ${term(p.engagementName)}`,
      );
    lines.push(l.exported.length ? 'exported (awaiting answers from reviewers):' : 'no review package exported');
    for (const p of l.exported)
      lines.push(
        `  ${p.id}  ${p.state === 'answered' ? `answered by ${term(p.answer!.reviewer)}: ${p.answer!.applied} applied, ${p.answer!.refused} refused` : 'awaiting an answer'}  ${p.findings} finding${p.findings === 1 ? '' : 's'}  by ${term(p.by)} ${p.at}  engagement ${term(p.engagementName ?? p.engagementId)}`,
      );
    print(o, l, lines);
    return 0;
  });
}

/** A received package named by its id or a unique start of it. */
function resolvePackageId(ws: Workspace, given: string): string {
  if (ws.reviewPackages.get(given)) return given;
  const shown = JSON.stringify(given.slice(0, 80));
  const ids = given.length >= 4 ? ws.reviewPackages.list().filter((p) => p.id.startsWith(given)).map((p) => p.id) : [];
  if (ids.length === 1) return ids[0]!;
  throw new FoureyesError(
    ids.length === 0 ? 'not_found' : 'bad_input',
    ids.length === 0
      ? `no review package with an id starting ${shown} was imported in ${ws.path} (foureyes review list)`
      : `more than one review package has an id starting ${shown}: give more of it`,
  );
}

interface DecisionIn {
  findingId: string;
  decision: 'approve' | 'reject';
  comment?: string;
}

/** `--decisions FILE`: JSON, an array (or `{ "decisions": [...] }`) of `{ finding, decision, comment }`. */
function decisionsFile(file: string): DecisionIn[] {
  const text = readFile(file, 16 * 1024 * 1024, 'decisions file').toString('utf8');
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new FoureyesError('bad_input', `--decisions ${file}: not JSON`);
  }
  const items = Array.isArray(v) ? v : (v as { decisions?: unknown } | null)?.decisions;
  if (!Array.isArray(items))
    throw new FoureyesError('bad_input', `--decisions ${file}: expected an array of { "finding", "decision", "comment" }`);
  return items.map((d: unknown, i) => {
    const r = (d ?? {}) as Record<string, unknown>;
    const finding = r.finding ?? r.findingId;
    if (typeof finding !== 'string' || (r.decision !== 'approve' && r.decision !== 'reject'))
      throw new FoureyesError(
        'bad_input',
        `--decisions ${file}: item ${i} needs "finding" (an id) and "decision" ("approve" or "reject")`,
      );
    if (r.comment !== undefined && typeof r.comment !== 'string')
      throw new FoureyesError('bad_input', `--decisions ${file}: item ${i}: "comment" must be text`);
    return { findingId: finding, decision: r.decision, ...(typeof r.comment === 'string' ? { comment: r.comment } : {}) };
  });
}

export function reviewAnswer(packageGiven: string, o: Opts): Promise<number> {
  const file = str(o.output);
  if (!file) throw new FoureyesError('bad_input', 'review answer: give the answer file to write with -o FILE');
  const given: DecisionIn[] = [
    ...list(o.approve).map((f) => ({ findingId: f, decision: 'approve' as const })),
    ...list(o.reject).map((r) => {
      const at = r.indexOf('=');
      if (at < 1)
        throw new FoureyesError('bad_input', `--reject ${JSON.stringify(r.slice(0, 80))}: give FINDING=COMMENT (why it goes back)`);
      return { findingId: r.slice(0, at), decision: 'reject' as const, comment: r.slice(at + 1) };
    }),
    ...(str(o.decisions) !== undefined ? decisionsFile(str(o.decisions)!) : []),
  ];
  if (given.length === 0)
    throw new FoureyesError(
      'bad_input',
      'review answer: decide at least one finding (--approve FINDING, --reject FINDING=COMMENT, or --decisions FILE)',
    );
  return withWorkspace(openForWriting(str(o.workspace)), async (ws) => {
    const packageId = resolvePackageId(ws, packageGiven);
    const ids = storedPackage(ws, packageId).pkg.findings.map((f) => f.content.id);
    const resolve = (g: string): string => {
      if (ids.includes(g)) return g;
      const m = g.length >= 4 ? ids.filter((id) => id.startsWith(g)) : [];
      if (m.length === 1) return m[0]!;
      throw new FoureyesError(
        'bad_input',
        m.length === 0
          ? `finding ${JSON.stringify(g.slice(0, 80))} is not in review package ${packageId} (it holds ${ids.map(shortId).join(', ')})`
          : `more than one finding of review package ${packageId} has an id starting ${JSON.stringify(g)}: give more of it`,
      );
    };
    const input = contractInput(
      'review.answer',
      { packageId, decisions: given.map((d) => ({ ...d, findingId: resolve(d.findingId) })) },
      'review answer',
    );
    const acting = await asPerson(ws, o, 'review answer');
    const out = reviewService(ws).answer(input, acting);
    writeFile(file, out.contentBase64);
    const { contentBase64: _bytes, ...shown } = out;
    const approved = out.decisions.filter((d) => d.decision === 'approve').length;
    print(o, { ...shown, file }, [
      `answer ${out.answerId} to review package ${packageId}, signed by ${term(acting.actor.name)}, written to ${term(file)}: ${approved} approved, ${out.decisions.length - approved} rejected`,
      `sha256 ${out.sha256}`,
      ...out.decisions.map((d) => `  ${shortId(d.findingId)}  ${d.decision === 'approve' ? 'approved' : 'rejected'}  ${term(d.title)}`),
    ]);
    return 0;
  });
}

export function reviewImportAnswer(file: string, o: Opts): Promise<number> {
  const bytes = readFile(file, MAX_ANSWER_BYTES, 'review answer');
  return withWorkspace(openForWriting(str(o.workspace)), async (ws) => {
    const acting = await asPerson(ws, o, 'review import-answer');
    const out = fromFile(file, () =>
      reviewService(ws).importAnswer({ contentBase64: bytes.toString('base64') }, acting),
    );
    print(o, out, [
      `answer ${out.answerId} by ${term(out.reviewer.name)} (${out.reviewer.fingerprint}${out.reviewer.added ? '; added as a colleague' : ''}) to review package ${out.packageId}, recorded by ${term(acting.actor.name)}: ${out.applied.length} applied, ${out.refused.length} refused`,
      ...out.applied.map(
        (a) => `  ${shortId(a.findingId)}  ${a.decision === 'approve' ? 'approved' : 'rejected'}, now ${a.reviewState.replace(/_/g, ' ')}  ${term(a.title)}`,
      ),
      ...out.refused.map(
        (r) => `  ${shortId(r.findingId)}  ${r.decision} refused: ${term(r.reason)}${r.title !== null ? `  ${term(r.title)}` : ''}`,
      ),
    ]);
    return out.refused.length > 0 ? 1 : 0;
  });
}
