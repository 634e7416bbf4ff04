/**
 * Attestations from the command line, through the same service and contract validation as the workstation
 * (main/services/attestations.ts):
 *
 *   foureyes attest [--engagement E] [--json]                              the questions and their answers
 *   foureyes attest CHECK --answer yes|no|na --note TEXT --as NAME [--engagement E]
 *
 * The engagement is --engagement (id or name), else the newest scan's, else the only one. An answer decides the
 * check on every host of the engagement's later scans.
 */
import type { AttestationItem } from '../../../shared/api/schemas/attestations.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import { recordAudit } from '../../audit/trail.js';
import { loadCatalogue } from '../../catalogue/load.js';
import { attestationService } from '../../services/attestations.js';
import type { Workspace } from '../../store/db.js';
import { actingFromCli } from '../acting.js';
import { contractInput, resolveEngagementId } from '../findings-service.js';
import { term, termJson } from '../term.js';
import { openExisting, openForWriting } from '../workspace.js';

type Opts = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function engagementFor(ws: Workspace, o: Opts): string {
  const given = str(o.engagement);
  if (given !== undefined) return resolveEngagementId(ws, given);
  const latest = ws.scans.latestScanId();
  if (latest) return ws.scans.require(latest).engagementId;
  const all = ws.engagements.list();
  if (all.length === 1) return all[0]!.id;
  throw new FoureyesError('bad_input', 'say which engagement with --engagement');
}

const ANSWER: Record<string, string> = { yes: 'yes', no: 'no', na: 'not_applicable', not_applicable: 'not_applicable' };

export function attestationLine(i: AttestationItem): string {
  const a = i.attestation;
  const answered = a
    ? `${a.answer.replace('_', ' ')} (${term(a.answeredBy.name)}, ${a.answeredAt.slice(0, 10)}): ${term(a.note)}`
    : 'not answered';
  return `${term(i.checkId)}\n  ${term(i.question)}\n  ${answered}`;
}

export async function attest(check: string | undefined, o: Opts): Promise<number> {
  const catalogue = loadCatalogue();
  if (check === undefined) {
    const ws = openExisting(str(o.workspace));
    try {
      const engagementId = engagementFor(ws, o);
      const list = attestationService(ws, catalogue, { recordAudit: recordAudit(ws) }).list(
        contractInput('attestation.list', { engagementId }, 'attest'),
      );
      if (o.json) process.stdout.write(`${termJson(list)}\n`);
      else {
        const open = list.items.filter((i) => !i.attestation).length;
        process.stdout.write(`${list.items.map(attestationLine).join('\n')}\n${list.items.length} questions, ${open} not answered\n`);
      }
      return 0;
    } finally {
      ws.close();
    }
  }
  const as = str(o.as);
  if (!as) throw new FoureyesError('bad_input', 'say who answers with --as NAME');
  const answer = ANSWER[str(o.answer) ?? ''];
  if (!answer) throw new FoureyesError('bad_input', '--answer must be yes, no or na');
  const ws = openForWriting(str(o.workspace));
  try {
    const engagementId = engagementFor(ws, o);
    const input = contractInput('attestation.answer', { engagementId, checkId: check, answer, note: o.note ?? '' }, 'attest');
    const acting = await actingFromCli(ws, as, { file: str(o.passphraseFile) });
    const item = attestationService(ws, catalogue, { recordAudit: recordAudit(ws) }).answer(input, acting);
    process.stdout.write(
      o.json ? `${termJson(item)}\n` : `${attestationLine(item)}\nit decides ${term(item.checkId)} on every host of the engagement's next scans\n`,
    );
    return 0;
  } finally {
    ws.close();
  }
}
