/**
 * `foureyes findings [--engagement ID] [--json]` and `foureyes finding show ID [--json]`: read the findings the
 * scans made and people annotated. Both only read: a missing workspace is an error and nothing is created. The JSON
 * is the API's wire views exactly (`finding.list` items; `finding.get` with the whole history).
 */
import type { FindingListItem } from '../../../shared/api/schemas/findings.js';
import type { FindingChange } from '../../../shared/model/finding.js';
import type { Workspace } from '../../store/db.js';
import { findingLines, formatFinding } from '../finding-text.js';
import { contractInput, engagementsChosen, findingsOf, resolveFindingId } from '../findings-service.js';
import { term, termJson } from '../term.js';
import { openExisting } from '../workspace.js';

type Opts = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const PAGE = 1000;

/** Every finding of an engagement, a page at a time. */
function allFindings(ws: Workspace, engagementId: string): FindingListItem[] {
  const svc = findingsOf(ws);
  const out: FindingListItem[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = svc.list(contractInput('finding.list', { engagementId, paging: { offset, limit: PAGE } }, 'findings'));
    out.push(...page.items);
    if (offset + PAGE >= page.total) return out;
  }
}

function allHistory(ws: Workspace, findingId: string): FindingChange[] {
  const svc = findingsOf(ws);
  const out: FindingChange[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = svc.history(contractInput('finding.history', { findingId, paging: { offset, limit: PAGE } }, 'finding show'));
    out.push(...page.items);
    if (offset + PAGE >= page.total) return out;
  }
}

export function findingsList(o: Opts): number {
  const ws = openExisting(str(o.workspace));
  try {
    const given = str(o.engagement);
    const engagements = engagementsChosen(ws, given);
    const found = engagements.map((e) => ({ e, findings: allFindings(ws, e.id) }));
    if (o.json) {
      process.stdout.write(`${termJson({ findings: found.flatMap((x) => x.findings) })}\n`);
      return 0;
    }
    const shown = found.filter((x) => x.findings.length > 0 || given !== undefined);
    const lines = shown.flatMap(({ e, findings }) => [
      `${term(e.name)}${e.archivedAt !== null ? ' (archived)' : ''}: ${findings.length} finding${findings.length === 1 ? '' : 's'}`,
      ...findingLines(findings),
    ]);
    if (lines.length === 0) lines.push('no findings yet (findings are made from the failing results of a scan)');
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    ws.close();
  }
}

export function findingShow(id: string, o: Opts): number {
  const ws = openExisting(str(o.workspace));
  try {
    const findingId = resolveFindingId(ws, id);
    const detail = findingsOf(ws).get(contractInput('finding.get', { findingId }, 'finding show'));
    const history = allHistory(ws, findingId);
    if (o.json) {
      process.stdout.write(`${termJson({ ...detail, history })}\n`);
      return 0;
    }
    const engagement = ws.engagements.require(detail.finding.engagementId);
    process.stdout.write(formatFinding(detail, history, engagement.name));
    return 0;
  } finally {
    ws.close();
  }
}
