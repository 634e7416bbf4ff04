/**
 * Waivers over the API and the command line alike: request, approve (a signature by a second person's key over the
 * waiver's content hash, main/waivers/content.ts), reject and revoke, each in one transaction with its audit event
 * (with the reason); the list with shown states; and what the results, the dashboard and the findings read to show
 * covered results as waived (main/waivers/overlay.ts).
 *
 * The four-eye rule: the person who requested a waiver cannot approve it. Anyone may reject a request (its requester
 * withdrawing it too) or revoke an approved waiver: both only take an accepted risk away.
 */
import type { HandlerInput, MethodOutput } from '../../shared/api/contract.js';
import { EXPIRING_LISTED, type WaiverListItem } from '../../shared/api/schemas/waivers.js';
import { FoureyesError } from '../../shared/model/errors.js';
import {
  WAIVER_EXPIRY_WARNING_DAYS,
  utcDay,
  type Waiver,
} from '../../shared/model/waiver.js';
import { signApproval } from '../approval/signature.js';
import { recordAudit } from '../audit/trail.js';
import type { RecordAudit } from '../audit/types.js';
import type { Catalogue } from '../catalogue/load.js';
import type { Acting, PublicKeyOf } from '../people/acting.js';
import { publicKeyOf as workspaceKeys } from '../people/public-keys.js';
import type { Workspace } from '../store/db.js';
import { approvalProblem, waiverApprovalMessage, waiverContent, waiverHash, waiverView } from '../waivers/content.js';
import { endedInTrail, waiverOverlay, type WaiverOverlay } from '../waivers/overlay.js';

type Read<M extends 'waiver.list'> = (input: HandlerInput<M>) => MethodOutput<M>;
type Act<M extends 'waiver.request' | 'waiver.approve' | 'waiver.reject' | 'waiver.revoke'> = (
  input: HandlerInput<M>,
  acting: Acting,
) => MethodOutput<M>;

export interface WaiverDeps {
  recordAudit: RecordAudit;
  publicKeyOf: PublicKeyOf;
  /** For check titles and to refuse a check the catalogue does not know; without it any check id is taken. */
  catalogue?: Catalogue;
  /** The clock deciding "today" (UTC): expiry, lapse, days until expiry. */
  now?: () => Date;
}

/** Approved waivers that apply and lapse within WAIVER_EXPIRY_WARNING_DAYS. */
export interface ExpiringWaivers {
  count: number;
  items: WaiverListItem[];
}

export interface WaiverCommands {
  request: Act<'waiver.request'>;
  approve: Act<'waiver.approve'>;
  reject: Act<'waiver.reject'>;
  revoke: Act<'waiver.revoke'>;
  list: Read<'waiver.list'>;
  expiringSoon(engagementId: string): ExpiringWaivers;
  /** What applies now, per engagement (for results, scores and findings). */
  overlay: WaiverOverlay;
}

const STATE_WORDS = { requested: 'requested', approved: 'approved', rejected: 'rejected', revoked: 'revoked' } as const;

export function waiverService(ws: Workspace, deps: WaiverDeps): WaiverCommands {
  const now = deps.now ?? (() => new Date());
  const today = () => utcDay(now());
  const title = (checkId: string) => deps.catalogue?.byId.get(checkId)?.title ?? checkId;
  const item = (w: Waiver, day = today(), ended: ReadonlySet<string> = endedInTrail(ws, [w])): WaiverListItem => ({
    ...waiverView(w, day, deps.publicKeyOf, ended),
    checkTitle: title(w.checkId),
  });
  const items = (list: readonly Waiver[], day: string): WaiverListItem[] => {
    const ended = endedInTrail(ws, list);
    return list.map((w) => item(w, day, ended));
  };
  const words = (w: Waiver) =>
    `waiver of ${w.checkId} on ${w.hostId === null ? 'all hosts' : (w.hostName ?? w.hostId)}`;
  const object = (w: Waiver) => ({ type: 'waiver', id: w.id });
  const summary = (w: Waiver) => ({
    state: w.state,
    engagementId: w.engagementId,
    checkId: w.checkId,
    hostId: w.hostId,
    expiresOn: w.expiresOn,
  });
  /** The waiver, in a state the decision applies to, in an engagement that is not archived. */
  const writable = (waiverId: string, from: Waiver['state'], decision: string): Waiver => {
    const w = ws.waivers.require(waiverId);
    ws.engagements.requireWritable(w.engagementId);
    if (w.state !== from)
      throw new FoureyesError('bad_input', `cannot ${decision} the ${words(w)}: it is ${STATE_WORDS[w.state]}, not ${from}`, {
        waiverId: w.id,
      });
    return w;
  };

  return {
    request: (input, acting) =>
      ws.tx(() => {
        const e = ws.engagements.requireWritable(input.engagementId);
        const day = today();
        if (input.expiresOn <= day)
          throw new FoureyesError('bad_input', `Expiry date ${input.expiresOn} is not after today (${day})`);
        if (deps.catalogue && !deps.catalogue.byId.has(input.checkId))
          throw new FoureyesError('bad_input', `check ${JSON.stringify(input.checkId.slice(0, 200))} is not in the catalogue`);
        let hostName: string | null = null;
        if (input.hostId !== null) {
          const h = ws.hosts.require(input.hostId);
          if (h.engagementId !== e.id)
            throw new FoureyesError('bad_input', `host ${h.name} is not in engagement ${e.name}`);
          hostName = h.name;
        }
        const open = ws.waivers
          .list(e.id)
          .find(
            (o) =>
              o.checkId === input.checkId &&
              o.hostId === input.hostId &&
              (o.state === 'requested' || (o.state === 'approved' && o.expiresOn > day)),
          );
        if (open)
          throw new FoureyesError(
            'bad_input',
            `a ${words(open)} is already ${STATE_WORDS[open.state]} (${open.id.slice(0, 8)}, until ${open.expiresOn})`,
            { waiverId: open.id },
          );
        const fields = {
          engagementId: e.id,
          checkId: input.checkId,
          hostId: input.hostId,
          hostName,
          reason: input.reason,
          owner: input.owner,
          expiresOn: input.expiresOn,
        };
        const w = ws.waivers.add({
          ...fields,
          requestedBy: acting.actor,
          contentHash: (id, at) => waiverHash(waiverContent({ ...fields, id, requestedBy: { personId: acting.actor.personId, at } })),
        });
        deps.recordAudit(acting, {
          action: 'waiver.request',
          object: object(w),
          reason: w.reason,
          after: { ...summary(w), owner: w.owner, hostName: w.hostName },
          details: { contentHash: w.contentHash },
        });
        return item(w, day);
      }),

    approve: ({ waiverId }, acting) =>
      ws.tx(() => {
        const w = writable(waiverId, 'requested', 'approve');
        const me = acting.actor;
        if (me.personId === w.requestedBy.personId)
          throw new FoureyesError(
            'not_permitted',
            `${me.name} cannot approve the ${words(w)}: they requested it (four-eye rule: a second person approves)`,
            { waiverId: w.id, personId: me.personId },
          );
        const day = today();
        if (w.expiresOn <= day)
          throw new FoureyesError('bad_input', `the ${words(w)} expired on ${w.expiresOn}: request it again with a later date`);
        const hash = waiverHash(waiverContent(w));
        if (hash !== w.contentHash)
          throw new FoureyesError(
            'bad_input',
            `the ${words(w)} was changed outside Foureyes since it was requested (its content hash does not match): not approved`,
            { waiverId: w.id },
          );
        const message = waiverApprovalMessage(w.id, hash);
        const signature = signApproval(acting, message);
        const next = ws.waivers.approve(w.id, me, hash, signature);
        const problem = approvalProblem(next, deps.publicKeyOf);
        if (problem !== undefined)
          throw new FoureyesError('not_permitted', `${me.name}'s approval of the ${words(w)} cannot be verified: ${problem}`);
        deps.recordAudit(acting, {
          action: 'waiver.approve',
          object: object(w),
          reason: w.reason,
          before: { state: w.state },
          after: { state: next.state },
          details: { contentHash: hash, expiresOn: w.expiresOn, requestedBy: { ...w.requestedBy } },
        });
        return item(next, day);
      }),

    reject: ({ waiverId, comment }, acting) =>
      ws.tx(() => {
        const w = writable(waiverId, 'requested', 'reject');
        const next = ws.waivers.reject(w.id, acting.actor, comment);
        deps.recordAudit(acting, {
          action: 'waiver.reject',
          object: object(w),
          reason: comment,
          before: { state: w.state },
          after: { state: next.state },
        });
        return item(next);
      }),

    revoke: ({ waiverId, reason }, acting) =>
      ws.tx(() => {
        const w = writable(waiverId, 'approved', 'revoke');
        const next = ws.waivers.revoke(w.id, acting.actor, reason);
        deps.recordAudit(acting, {
          action: 'waiver.revoke',
          object: object(w),
          reason,
          before: { state: w.state },
          after: { state: next.state },
          details: { expiresOn: w.expiresOn, lapsed: w.expiresOn <= today() },
        });
        return item(next);
      }),

    list: ({ engagementId }) => {
      ws.engagements.require(engagementId);
      const day = today();
      return { today: day, items: items(ws.waivers.list(engagementId), day) };
    },

    expiringSoon: (engagementId) => {
      const day = today();
      const soon = items(ws.waivers.approvedAfter(engagementId, day), day).filter(
        (w) => w.applies && w.daysUntilExpiry <= WAIVER_EXPIRY_WARNING_DAYS,
      );
      return { count: soon.length, items: soon.slice(0, EXPIRING_LISTED) };
    },

    overlay: waiverOverlay(ws, deps.publicKeyOf, now),
  };
}

/** The waivers of a workspace with its own keys and the real clock (what the services use unless told otherwise). */
export function defaultWaivers(ws: Workspace, catalogue?: Catalogue): WaiverCommands {
  return waiverService(ws, { recordAudit: recordAudit(ws), publicKeyOf: workspaceKeys(ws), ...(catalogue ? { catalogue } : {}) });
}
