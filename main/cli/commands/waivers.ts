/**
 * Waivers from the command line, through the same service and contract validation as the workstation
 * (main/services/waivers.ts):
 *
 *   foureyes finding waive CHECK|FINDING (--host NAME | --all-hosts) --reason R [--owner O] --expires YYYY-MM-DD --as NAME
 *   foureyes waivers [--engagement E] [--json]
 *   foureyes waiver approve|reject|revoke ID --as NAME [--reason R]
 *
 * A waiver is named by its id or a unique start of it (8 characters, as `foureyes waivers` shows). The waiver and
 * the person are checked before any passphrase is asked. The four-eye refusal (the requester approving) is exit 2
 * with the sentence saying why, as every refusal.
 */
import type { WaiverListItem } from '../../../shared/api/schemas/waivers.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import { recordAudit } from '../../audit/trail.js';
import { loadCatalogue, type Catalogue } from '../../catalogue/load.js';
import type { Acting } from '../../people/acting.js';
import { publicKeyOf } from '../../people/public-keys.js';
import type { Workspace } from '../../store/db.js';
import { waiverService, type WaiverCommands } from '../../services/waivers.js';
import { actingFromCli } from '../acting.js';
import { contractInput, engagementsChosen, resolveEngagementId, resolveFindingId } from '../findings-service.js';
import { term, termJson } from '../term.js';
import { openExisting, openForWriting } from '../workspace.js';

type Opts = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const waiversOf = (ws: Workspace, catalogue?: Catalogue): WaiverCommands =>
  waiverService(ws, {
    recordAudit: recordAudit(ws),
    publicKeyOf: publicKeyOf(ws),
    ...(catalogue ? { catalogue } : {}),
  });

const SHORT_ID = /^[A-Za-z0-9-]{4,64}$/;

/** A waiver named by its id or a unique start of it. */
export function resolveWaiverId(ws: Workspace, given: string): string {
  if (ws.waivers.get(given)) return given;
  const shown = JSON.stringify(given.slice(0, 80));
  if (!SHORT_ID.test(given))
    throw new FoureyesError('bad_input', `${shown} is not a waiver id (letters, digits and -; 4 characters at least)`);
  const ids = ws.waivers.idsStartingWith(given, 2);
  if (ids.length === 0) throw new FoureyesError('not_found', `no waiver with an id starting ${shown} in ${ws.path}`);
  if (ids.length > 1) throw new FoureyesError('bad_input', `more than one waiver has an id starting ${shown}: give more of it`);
  return ids[0]!;
}

const where = (w: WaiverListItem) => (w.hostId === null ? 'all hosts' : term(w.hostName ?? w.hostId));

/** One line per waiver: id, state, check, host(s), expiry, days left, who requested and decided. */
export function waiverLine(w: WaiverListItem): string {
  const days =
    w.shownState === 'approved' || w.shownState === 'requested'
      ? ` (${w.daysUntilExpiry} day${w.daysUntilExpiry === 1 ? '' : 's'} left)`
      : '';
  const decided = w.revocation
    ? `, revoked by ${term(w.revocation.name)}: ${term(w.revocation.reason)}`
    : w.rejection
      ? `, rejected by ${term(w.rejection.name)}: ${term(w.rejection.comment)}`
      : w.approval
        ? `, approved by ${term(w.approval.name)}`
        : '';
  const problem = w.problem !== null ? `; does not apply: ${term(w.problem)}` : '';
  return (
    `${w.id.slice(0, 8)}  ${w.shownState.padEnd(9)} ${term(w.checkId)} on ${where(w)} until ${w.expiresOn}${days}` +
    ` - ${term(w.reason)}${w.owner !== null ? ` (owner ${term(w.owner)})` : ''}; requested by ${term(w.requestedBy.name)}` +
    `${decided}${problem}`
  );
}

/** The engagement a waiver is for: --engagement, else the finding's, else the host's (by name), else the only one. */
function engagementFor(ws: Workspace, o: Opts, fromFinding: string | undefined): string {
  const given = str(o.engagement);
  if (given !== undefined) return resolveEngagementId(ws, given);
  if (fromFinding !== undefined) return fromFinding;
  const all = ws.engagements.list();
  const host = str(o.host);
  if (host !== undefined) {
    const having = all.filter((e) => ws.hosts.getByName(e.id, host) !== undefined);
    if (having.length === 1) return having[0]!.id;
    if (having.length > 1)
      throw new FoureyesError('bad_input', `host ${JSON.stringify(host.slice(0, 200))} is in several engagements: say which with --engagement`);
    throw new FoureyesError('not_found', `no host named ${JSON.stringify(host.slice(0, 200))} in the inventory`);
  }
  if (all.length === 1) return all[0]!.id;
  throw new FoureyesError('bad_input', 'say which engagement with --engagement');
}

export async function findingWaive(target: string, o: Opts): Promise<number> {
  const as = str(o.as);
  if (!as) throw new FoureyesError('bad_input', 'say who requests the waiver with --as NAME');
  const host = str(o.host);
  if ((host === undefined) === !o.allHosts)
    throw new FoureyesError('bad_input', 'finding waive: give either --host NAME or --all-hosts');
  const catalogue = loadCatalogue();
  const ws = openForWriting(str(o.workspace));
  try {
    // A check id, or a finding (id or a unique start) whose key is its check.
    let checkId = target;
    let engagementFromFinding: string | undefined;
    if (!catalogue.byId.has(target)) {
      const f = ws.findings.require(resolveFindingId(ws, target));
      if (!catalogue.byId.has(f.key))
        throw new FoureyesError('bad_input', `finding ${f.id.slice(0, 8)} covers merged checks: waive one of its checks by its id`);
      checkId = f.key;
      engagementFromFinding = f.engagementId;
    }
    const engagementId = engagementFor(ws, o, engagementFromFinding);
    let hostId: string | null = null;
    if (host !== undefined) {
      const h = ws.hosts.getByName(engagementId, host) ?? ws.hosts.get(host);
      if (!h || h.engagementId !== engagementId)
        throw new FoureyesError('not_found', `no host named ${JSON.stringify(host.slice(0, 200))} in engagement ${ws.engagements.require(engagementId).name}`);
      hostId = h.id;
    }
    const input = contractInput(
      'waiver.request',
      { engagementId, checkId, hostId, reason: o.reason, owner: str(o.owner) ?? null, expiresOn: o.expires },
      'finding waive',
    );
    const acting = await actingFromCli(ws, as, { file: str(o.passphraseFile) });
    const w = waiversOf(ws, catalogue).request(input, acting);
    process.stdout.write(
      o.json
        ? `${termJson(w)}\n`
        : `waiver ${w.id.slice(0, 8)} of ${term(w.checkId)} on ${where(w)} until ${w.expiresOn} requested by ${term(acting.actor.name)}; ` +
            `it applies once another person approves it (foureyes waiver approve ${w.id.slice(0, 8)} --as NAME)\n`,
    );
    return 0;
  } finally {
    ws.close();
  }
}

export function waiversList(o: Opts): number {
  const ws = openExisting(str(o.workspace));
  try {
    const given = str(o.engagement);
    const engagements = engagementsChosen(ws, given);
    const svc = waiversOf(ws);
    const found = engagements.map((e) => ({ e, list: svc.list(contractInput('waiver.list', { engagementId: e.id }, 'waivers')) }));
    if (o.json) {
      process.stdout.write(`${termJson({ waivers: found.flatMap((x) => x.list.items) })}\n`);
      return 0;
    }
    const lines = found
      .filter((x) => x.list.items.length > 0 || given !== undefined)
      .flatMap(({ e, list }) => [
        `${term(e.name)}: ${list.items.length} waiver${list.items.length === 1 ? '' : 's'}`,
        ...list.items.map(waiverLine),
      ]);
    if (lines.length === 0) lines.push('no waivers');
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    ws.close();
  }
}

type Decision = 'approve' | 'reject' | 'revoke';

export async function waiverDecide(decision: Decision, id: string, o: Opts): Promise<number> {
  const as = str(o.as);
  if (!as) throw new FoureyesError('bad_input', `say who decides with --as NAME`);
  const reason = str(o.reason);
  if (decision !== 'approve' && reason === undefined)
    throw new FoureyesError('bad_input', `waiver ${decision}: say why with --reason TEXT`);
  const ws = openForWriting(str(o.workspace));
  try {
    const waiverId = resolveWaiverId(ws, id);
    const svc = waiversOf(ws);
    const run: (acting: Acting) => WaiverListItem =
      decision === 'approve'
        ? ((input) => (acting) => svc.approve(input, acting))(contractInput('waiver.approve', { waiverId }, 'waiver approve'))
        : decision === 'reject'
          ? ((input) => (acting) => svc.reject(input, acting))(
              contractInput('waiver.reject', { waiverId, comment: reason }, 'waiver reject'),
            )
          : ((input) => (acting) => svc.revoke(input, acting))(
              contractInput('waiver.revoke', { waiverId, reason }, 'waiver revoke'),
            );
    const acting = await actingFromCli(ws, as, { file: str(o.passphraseFile) });
    const w = run(acting);
    const done = { approve: 'approved', reject: 'rejected', revoke: 'revoked' }[decision];
    process.stdout.write(
      o.json
        ? `${termJson(w)}\n`
        : `waiver ${w.id.slice(0, 8)} of ${term(w.checkId)} on ${where(w)} ${done} by ${term(acting.actor.name)}` +
            `${decision === 'approve' ? `: its results show as waived until ${w.expiresOn}` : ''}\n`,
    );
    return 0;
  } finally {
    ws.close();
  }
}
