/**
 * `foureyes finding edit|submit|approve|reject ID --as NAME`: change a finding and decide its review as a person of
 * this workstation, whose passphrase (a file, FOUREYES_PERSON_PASSPHRASE or a prompt) unlocks their signing key.
 * The finding and the person are checked before any passphrase is asked. Each command is one transaction with its
 * signed audit event, through the same service as the workstation; the four-eye rule refuses an author or the
 * submitter (exit 2, naming why).
 */
import { readFileSync, statSync } from 'node:fs';
import type { MethodName } from '../../../shared/api/contract.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import type { Finding } from '../../../shared/model/finding.js';
import type { Acting } from '../../people/acting.js';
import type { Workspace } from '../../store/db.js';
import { actingFromCli } from '../acting.js';
import { reviewWords, shortId } from '../finding-text.js';
import { contractInput, findingsOf, resolveFindingId } from '../findings-service.js';
import { term, termJson } from '../term.js';
import { openForWriting } from '../workspace.js';

type Opts = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Notes and recommendations come from files no larger than this. */
const MAX_TEXT_FILE = 1024 * 1024;

/** A text file given for a field: UTF-8 (a BOM dropped), bounded; a refusal names the option and the file. */
export function readTextFile(file: string, option: string): string {
  let bytes: Buffer;
  try {
    if (statSync(file).size > MAX_TEXT_FILE)
      throw new FoureyesError('bad_input', `${option} ${file}: larger than ${MAX_TEXT_FILE / 1024} KiB`);
    bytes = readFileSync(file);
  } catch (e) {
    if (e instanceof FoureyesError) throw e;
    throw new FoureyesError('bad_input', `${option}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new FoureyesError('bad_input', `${option} ${file}: not UTF-8 text`);
  }
}

/** `false positive`, `false-positive` and `false_positive` are one status. */
const enumWord = (s: string): string => s.trim().toLowerCase().replace(/[\s-]+/g, '_');

/** An optional text option where '' means "none". */
const clearable = (v: unknown): string | null | undefined => {
  const s = str(v);
  return s === undefined ? undefined : s.trim() === '' ? null : s;
};

function changesFrom(o: Opts): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  if (str(o.title) !== undefined) c.title = o.title;
  if (str(o.severity) !== undefined) c.severity = enumWord(str(o.severity)!);
  if (str(o.status) !== undefined) c.status = enumWord(str(o.status)!);
  if (str(o.notesFile) !== undefined) c.notes = readTextFile(str(o.notesFile)!, '--notes-file');
  if (str(o.recommendationFile) !== undefined)
    c.recommendation = readTextFile(str(o.recommendationFile)!, '--recommendation-file');
  if (Array.isArray(o.tag)) c.tags = o.tag;
  if (clearable(o.owner) !== undefined) c.customerOwner = clearable(o.owner);
  if (clearable(o.due) !== undefined) c.dueDate = clearable(o.due);
  if (Object.keys(c).length === 0)
    throw new FoureyesError(
      'bad_input',
      'finding edit: nothing to change (give --title, --severity, --status, --notes-file, --recommendation-file, --tag, --owner or --due)',
    );
  return c;
}

/** `--revision N`, when given: the revision the person read (refused when the finding has moved on). */
function revisionOption(o: Opts): number | undefined {
  const r = str(o.revision);
  if (r === undefined) return undefined;
  if (!/^\d{1,9}$/.test(r)) throw new FoureyesError('bad_input', `--revision must be a whole number (got ${JSON.stringify(r.slice(0, 20))})`);
  return Number(r);
}

/** Opens the workspace, resolves the finding, unlocks the person named by --as, and runs `fn` as them. */
async function asPerson(
  id: string,
  o: Opts,
  fn: (ws: Workspace, findingId: string, acting: Acting) => { line: string; value: unknown },
): Promise<number> {
  const as = str(o.as);
  if (!as) throw new FoureyesError('bad_input', 'say who acts with --as NAME');
  const ws = openForWriting(str(o.workspace));
  try {
    const findingId = resolveFindingId(ws, id);
    const acting = await actingFromCli(ws, as, { file: str(o.passphraseFile) });
    const { line, value } = fn(ws, findingId, acting);
    process.stdout.write(o.json ? `${termJson(value)}\n` : `${line}\n`);
    return 0;
  } finally {
    ws.close();
  }
}

const stateLine = (what: string, f: Finding, acting: Acting, approvals = 0, required = 1) =>
  `finding ${shortId(f.id)} (${term(f.title)}) ${what} by ${term(acting.actor.name)}: revision ${f.revision}, ` +
  `${reviewWords(f, approvals, required)}`;

function call<M extends MethodName>(method: M, input: unknown, command: string) {
  return contractInput(method, input, command);
}

export function findingEdit(id: string, o: Opts): Promise<number> {
  const changes = changesFrom(o);
  const revision = revisionOption(o);
  return asPerson(id, o, (ws, findingId, acting) => {
    const before = ws.findings.require(findingId);
    const liveBefore = ws.findings.review.approvals(findingId).length;
    const reason = str(o.reason);
    const input = { findingId, changes, expectedRevision: revision ?? before.revision, ...(reason !== undefined ? { reason } : {}) };
    const f = findingsOf(ws).edit(call('finding.edit', input, 'finding edit'), acting);
    const d = findingDetailLine(ws, f);
    const voided =
      f.revision > before.revision && (liveBefore > 0 || before.reviewState === 'approved')
        ? `; ${liveBefore} approval${liveBefore === 1 ? '' : 's'} voided${before.reviewState === 'approved' ? ', back in review' : ''}`
        : f.revision === before.revision
          ? ' (nothing changed)'
          : '';
    return { line: `${stateLine('edited', f, acting, d.approvals, d.required)}${voided}`, value: f };
  });
}

function findingDetailLine(ws: Workspace, f: Finding): { approvals: number; required: number } {
  const approvals = new Set(ws.findings.review.approvals(f.id).map((a) => a.reviewerId)).size;
  return { approvals, required: ws.findings.approvalsRequired(f.engagementId) };
}

export function findingSubmit(id: string, o: Opts): Promise<number> {
  return asPerson(id, o, (ws, findingId, acting) => {
    const f = findingsOf(ws).submit(call('finding.submit', { findingId }, 'finding submit'), acting);
    const d = findingDetailLine(ws, f);
    return { line: stateLine('submitted for review', f, acting, d.approvals, d.required), value: f };
  });
}

export function findingApprove(id: string, o: Opts): Promise<number> {
  const revision = revisionOption(o);
  return asPerson(id, o, (ws, findingId, acting) => {
    const expectedRevision = revision ?? ws.findings.require(findingId).revision;
    const r = findingsOf(ws).approve(
      call('finding.approve', { findingId, expectedRevision }, 'finding approve'),
      acting,
    );
    return { line: stateLine('approved', r.finding, acting, r.approvals, r.required), value: r };
  });
}

export function findingReject(id: string, o: Opts): Promise<number> {
  const comment = str(o.comment);
  if (comment === undefined) throw new FoureyesError('bad_input', 'finding reject: say why with --comment TEXT');
  return asPerson(id, o, (ws, findingId, acting) => {
    const f = findingsOf(ws).reject(call('finding.reject', { findingId, comment }, 'finding reject'), acting);
    return { line: stateLine('sent back to draft', f, acting), value: f };
  });
}
