/**
 * Findings over the API and the command line alike: the domain's commands (main/findings/service.ts, each in one
 * transaction with its audit event) behind the contract's wire views. Lists and the review queue are filtered,
 * sorted and cut in SQL (store/repos/finding-pages.ts); a finding's host parts and history are read a page at a
 * time. Every change is made as the acting person the caller hands in.
 */
import { LISTED_HOST_NAMES, type FindingHostView, type FindingListItem } from '../../shared/api/schemas/findings.js';
import type { Actor } from '../../shared/model/actor.js';
import type { HandlerInput, MethodName, MethodOutput } from '../../shared/api/contract.js';
import type { Acting } from '../people/acting.js';
import type { RecordAudit } from '../audit/types.js';
import { currentContent } from '../findings/content.js';
import { findingService } from '../findings/service.js';
import type { PublicKeyOf } from '../people/acting.js';
import type { Workspace } from '../store/db.js';
import type { FindingPageQuery, WaivedParts } from '../store/repos/finding-pages.js';
import { coveringWaiver, waiverOverlay, type WaiverOverlay } from '../waivers/overlay.js';

type Read<M extends MethodName> = (input: HandlerInput<M>) => MethodOutput<M>;
type Act<M extends MethodName> = (input: HandlerInput<M>, acting: Acting) => MethodOutput<M>;

/** The API's FindingApiService, synchronous (better-sqlite3 is): what the CLI calls too. */
export interface FindingCommands {
  list: Read<'finding.list'>;
  get: Read<'finding.get'>;
  history: Read<'finding.history'>;
  attachment: Read<'finding.attachment'>;
  edit: Act<'finding.edit'>;
  submit: Act<'finding.submit'>;
  approve: Act<'finding.approve'>;
  reject: Act<'finding.reject'>;
  attach: Act<'finding.attach'>;
  detach: Act<'finding.detach'>;
  reviewQueue: Act<'finding.reviewQueue'>;
  setApprovalsRequired: Act<'engagement.setApprovalsRequired'>;
}

export function findingApiService(
  ws: Workspace,
  deps: { recordAudit: RecordAudit; publicKeyOf: PublicKeyOf; overlay?: WaiverOverlay },
): FindingCommands {
  const domain = findingService(ws, deps);
  const overlay = deps.overlay ?? waiverOverlay(ws, deps.publicKeyOf);

  /** Failing parts that approved waivers cover, in the engagement asked for or in every one. */
  const waivedParts = (engagementId: string | undefined): WaivedParts => {
    const ids = engagementId !== undefined ? [engagementId] : ws.engagements.list({ includeArchived: true }).map((e) => e.id);
    const allHosts: [string, string][] = [];
    const hostChecks: (readonly [string, string])[] = [];
    for (const id of ids) {
      const k = overlay(id);
      for (const c of k.allHosts) allHosts.push([id, c]);
      hostChecks.push(...k.hostChecks);
    }
    return { allHosts, hostChecks };
  };

  const page = (q: FindingPageQuery) => {
    const { lines, total } = ws.findings.pages.page(q, LISTED_HOST_NAMES, waivedParts(q.engagementId));
    const items: FindingListItem[] = lines.map((l) => ({
      ...ws.findings.require(l.id),
      hosts: {
        failing: l.failingHosts,
        ...(l.waivedHosts > 0 ? { waived: l.waivedHosts } : {}),
        fixed: Math.max(0, l.allHosts - l.failingHosts - l.waivedHosts),
        names: l.failingNames,
      },
      approvals: l.approvals,
      approvalsRequired: l.approvalsRequired,
    }));
    return { items, total, offset: q.offset, limit: q.limit };
  };

  const actorOf = (personId: string): Actor => ({
    personId,
    name: ws.people.byId(personId)?.name ?? `unknown person ${personId}`,
  });

  return {
    list: ({ engagementId, filters, sort, paging }) => {
      ws.engagements.require(engagementId);
      return {
        ...page({ engagementId, ...filters, sort, offset: paging.offset, limit: paging.limit }),
        approvalsRequired: ws.findings.approvalsRequired(engagementId),
      };
    },

    reviewQueue: ({ engagementId, paging }, acting) => {
      if (engagementId !== undefined) ws.engagements.require(engagementId);
      return page({
        ...(engagementId !== undefined ? { engagementId } : {}),
        reviewableBy: acting.actor.personId,
        activeEngagementsOnly: true,
        sort: { by: 'updated', dir: 'asc' },
        offset: paging.offset,
        limit: paging.limit,
      });
    },

    get: ({ findingId, hostPaging }) => {
      const d = domain.get(findingId);
      const applied = overlay(d.finding.engagementId);
      return {
        finding: d.finding,
        contentHash: currentContent(ws, d.finding).hash,
        hosts: {
          items: ws.findings.hosts.forFinding(findingId, hostPaging).map((p): FindingHostView => {
            const w = p.state === 'failing' ? coveringWaiver(applied, p.hostId, p.checkId, 'fail') : undefined;
            return w ? { ...p, state: 'waived', waiverId: w.id } : p;
          }),
          total: ws.findings.hosts.count(findingId),
          offset: hostPaging.offset,
          limit: hostPaging.limit,
        },
        attachments: d.attachments,
        authors: d.authors.map(actorOf),
        approvals: d.approvals,
        approvalsRequired: ws.findings.approvalsRequired(d.finding.engagementId),
      };
    },

    history: ({ findingId, paging }) => {
      ws.findings.require(findingId);
      return {
        items: ws.findings.review.changes(findingId, paging),
        total: ws.findings.review.changeCount(findingId),
        offset: paging.offset,
        limit: paging.limit,
      };
    },

    attachment: ({ attachmentId }) => {
      const { attachment, bytes } = domain.attachmentBytes(attachmentId);
      return { attachment, contentBase64: bytes.toString('base64') };
    },

    edit: ({ findingId, changes, reason, expectedRevision }, acting) =>
      domain.edit(acting, findingId, changes, { expectedRevision, ...(reason !== undefined ? { reason } : {}) }),

    submit: ({ findingId }, acting) => domain.submit(acting, findingId),

    approve: ({ findingId, expectedRevision }, acting) => domain.approve(acting, findingId, { expectedRevision }),

    reject: ({ findingId, comment }, acting) => domain.reject(acting, findingId, comment),

    attach: ({ findingId, name, contentBase64, expectedRevision }, acting) => {
      const bytes = Buffer.from(contentBase64, 'base64');
      return domain.attach(
        acting,
        findingId,
        { name, bytes },
        expectedRevision !== undefined ? { expectedRevision } : {},
      );
    },

    detach: ({ attachmentId, expectedRevision }, acting) =>
      domain.detach(acting, attachmentId, expectedRevision !== undefined ? { expectedRevision } : {}),

    setApprovalsRequired: ({ engagementId, approvalsRequired }, acting) => {
      domain.setApprovalsRequired(acting, engagementId, approvalsRequired);
      return { engagementId, approvalsRequired: ws.findings.approvalsRequired(engagementId) };
    },
  };
}
