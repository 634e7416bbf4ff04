/**
 * One check on one host run: the stored result, the check's metadata and bounded excerpts of the facts it read, in
 * their text form (shared/text/target-text.ts: every byte the target sent, escapes for the rest).
 */
import { secretNote } from '../../shared/facts/secrets.js';
import type { Fact, FactSnapshot, FileFact } from '../../shared/facts/snapshot.js';
import { cutForm, textForm } from '../../shared/text/target-text.js';
import { FoureyesError } from '../../shared/model/errors.js';
import type { ResultService } from '../api/services.js';
import type { Catalogue } from '../catalogue/load.js';
import type { Workspace } from '../store/db.js';
import { coveringWaiver, type WaiverOverlay } from '../waivers/overlay.js';
import { checkSummary } from './catalogue.js';

/** Characters of one fact shown in the detail; the rest stays in the stored snapshot. */
const EXCERPT_CHARS = 4000;

/** A file's content as shown, or the line that says why the collector kept it on the host. */
const shown = (f: FileFact): string => f.content ?? secretNote(f.secret) ?? '';

function excerptOf(factId: string, f: Fact) {
  let label: string;
  let text: string;
  let truncated = false;
  if (f.kind === 'file') {
    label = f.path;
    text = textForm(shown(f), 'block');
    truncated = f.contentTruncated === true;
  } else if (f.kind === 'fileset') {
    label = f.patterns.join(' ');
    text = f.files.map((x) => `# ${x.path}\n${textForm(shown(x), 'block')}`).join('\n');
    truncated = f.truncated === true || f.files.some((x) => x.contentTruncated === true);
  } else if (f.kind === 'paths') {
    label = factId;
    // One name per line: a name's text form has no newline of its own.
    text = f.paths.join('\n');
    truncated = f.truncated === true;
  } else {
    label = factId;
    text = textForm(f.stdout, 'block');
    truncated = f.stdoutTruncated === true;
  }
  if (text.length > EXCERPT_CHARS) {
    text = cutForm(text, EXCERPT_CHARS);
    truncated = true;
  }
  return { factId, kind: f.kind, label, excerpt: text, truncated, ...(f.problem ? { problem: f.problem } : {}) };
}

export function checkDetail(ws: Workspace, catalogue: Catalogue, overlay: WaiverOverlay): ResultService['checkDetail'] {
  return ({ hostRunId, checkId }) => {
    const run = ws.hostRuns.require(hostRunId);
    const r = ws.results.forHostRun(hostRunId).find((x) => x.checkId === checkId);
    if (!r) throw new FoureyesError('not_found', `no result for check ${checkId} in host run ${hostRunId}`);
    const c = catalogue.byId.get(checkId);
    if (!c) throw new FoureyesError('not_found', `check ${checkId} is not in the loaded catalogue`);
    let snap: FactSnapshot | undefined;
    if (ws.snapshots.info(hostRunId)) snap = ws.snapshots.loadSnapshot(hostRunId);
    const facts = c.facts.flatMap((id) => {
      const f = snap?.facts[id];
      return f ? [excerptOf(id, f)] : [];
    });
    const waiver = coveringWaiver(overlay(ws.scans.require(run.scanId).engagementId), run.hostId, r.checkId, r.verdict);
    return {
      ...(waiver?.approval
        ? {
            waiver: {
              waiverId: waiver.id,
              reason: waiver.reason,
              owner: waiver.owner,
              expiresOn: waiver.expiresOn,
              approvedBy: waiver.approval.name,
            },
          }
        : {}),
      hostRunId,
      hostName: run.hostName,
      result: {
        checkId: r.checkId,
        verdict: r.verdict,
        expected: r.expected,
        actual: r.actual,
        reason: r.reason,
        evidence: r.evidence,
        ...(r.needsPrivilege !== undefined ? { needsPrivilege: r.needsPrivilege } : {}),
      },
      check: {
        ...checkSummary(c),
        rationale: c.rationale,
        facts: c.facts,
        remediation: c.remediation,
      },
      facts,
      collectedAt: snap?.collectedAt ?? null,
    };
  };
}
