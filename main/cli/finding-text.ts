/**
 * Findings as text for a terminal. Everything that came from the workspace or a target (titles, notes, host names,
 * evidence, people's names, reasons, tags) goes through `term()`, one line at a time for text that has lines, so
 * an escape sequence in a note or a target's file can never reach the terminal as one.
 */
import type { MethodOutput } from '../../shared/api/contract.js';
import type { FindingListItem } from '../../shared/api/schemas/findings.js';
import type { Finding, FindingChange } from '../../shared/model/finding.js';
import { term } from './term.js';

type Detail = MethodOutput<'finding.get'>;

/** How a list shows a finding's id: its first 8 characters (a unique start is enough for `finding show`). */
export const shortId = (id: string): string => id.slice(0, 8);

const words = (s: string): string => s.replace(/_/g, ' ');

/** The review state in words, with the approvals an in-review finding has. */
export function reviewWords(f: Pick<Finding, 'reviewState'>, approvals: number, required: number): string {
  if (f.reviewState === 'in_review') return `in review (${approvals}/${required} approvals)`;
  return words(f.reviewState);
}

function hostsWords(h: FindingListItem['hosts']): string {
  const more = h.failing - h.names.length;
  const names = h.names.map(term).join(', ') + (more > 0 ? ` and ${more} more` : '');
  const others = [...(h.waived ? [`${h.waived} waived`] : []), ...(h.fixed > 0 ? [`${h.fixed} fixed`] : [])].join('; ');
  const failing = h.failing > 0 ? `${h.failing} failing: ${names}` : '';
  return [failing, others].filter((x) => x !== '').join('; ') || 'no hosts';
}

/** One line per finding: id, severity, status, review state, title, hosts. */
export function findingLines(items: readonly FindingListItem[]): string[] {
  return items.map(
    (f) =>
      `  ${shortId(f.id)}  ${f.severity.padEnd(8)} ${words(f.status).padEnd(15)} ` +
      `${reviewWords(f, f.approvals, f.approvalsRequired).padEnd(27)} ${term(f.title)}  [${hostsWords(f.hosts)}]`,
  );
}

/** Text with lines, each through term(), indented. */
const block = (text: string, indent = '    '): string[] =>
  text.trim() === '' ? [`${indent}(none)`] : text.replace(/\r?\n$/, '').split(/\r?\n/).map((l) => `${indent}${term(l)}`);

/** A value of the history, cut to `max` characters before it is escaped (never inside an escape). */
function shownValue(v: unknown, max: number): string {
  if (v === null || v === undefined) return '-';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  const points = [...s];
  return points.length > max ? `${term(points.slice(0, max - 1).join(''))}…` : term(s);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function changeLine(c: FindingChange): string {
  const who = c.actorName !== null ? term(c.actorName) : `scan ${c.scanId ?? '?'}`;
  const why = c.reason !== null ? `  (${term(c.reason)})` : '';
  const value = (v: unknown) => shownValue(v, 80);
  return `  ${c.at}  r${c.revision}  ${who}: ${c.field} ${value(c.before)} -> ${value(c.after)}${why}`;
}

/** The whole finding as text, ending with a newline. */
export function formatFinding(d: Detail, history: readonly FindingChange[], engagementName: string): string {
  const f = d.finding;
  const live = new Set(d.approvals.filter((a) => a.voidedAt === null).map((a) => a.reviewerId)).size;
  const severity =
    f.severity === f.catalogueSeverity
      ? f.severity
      : `${f.severity} (catalogue: ${f.catalogueSeverity}; ${term(f.severityReason ?? '')})`;
  const status = `${words(f.status)}${f.statusReason !== null ? ` (${term(f.statusReason)})` : ''}`;
  const failing = new Set(d.hosts.items.filter((h) => h.state === 'failing').map((h) => h.targetName)).size;
  const lines = [
    `finding ${f.id} in ${term(engagementName)}`,
    `  title:          ${term(f.title)}`,
    `  check:          ${term(f.key)}`,
    `  severity:       ${severity}`,
    `  status:         ${status}`,
    `  review:         ${reviewWords(f, live, d.approvalsRequired)}, revision ${f.revision}`,
    `  owner:          ${f.customerOwner !== null ? term(f.customerOwner) : '-'}`,
    `  due:            ${f.dueDate ?? '-'}`,
    `  tags:           ${f.tags.length > 0 ? f.tags.map(term).join(', ') : '-'}`,
    `  authors:        ${d.authors.length > 0 ? d.authors.map((a) => term(a.name)).join(', ') : '-'}`,
    `  hosts (${plural(d.hosts.total, 'part')}, ${plural(failing, 'failing host')}${d.hosts.total > d.hosts.items.length ? `, first ${d.hosts.items.length} shown` : ''}):`,
    ...d.hosts.items.flatMap((h) => [
      `    ${h.state.padEnd(8)} ${term(h.targetName)}  ${term(h.checkId)}  ${term(h.actual)}`,
      ...h.evidence.map(
        (e) => `      ${term(e.path ?? e.factId)}${e.line !== undefined ? `:${e.line}` : ''}  ${term(e.excerpt)}`,
      ),
    ]),
    '  recommendation:',
    ...block(f.recommendation),
    '  notes:',
    ...block(f.notes),
    `  attachments (${d.attachments.length}):`,
    ...d.attachments.map((a) => `    ${term(a.name)}  ${a.mediaType}  ${a.size} bytes  sha256 ${a.sha256}`),
    `  approvals (${d.approvals.length}):`,
    ...d.approvals.map(
      (a) =>
        `    ${term(a.reviewerName)}  revision ${a.revision}  ${a.at}` +
        (a.voidedAt !== null ? `  voided ${a.voidedAt}: ${term(a.voidedWhy ?? '')}` : ''),
    ),
    `  history (${history.length}):`,
    ...history.map(changeLine),
  ];
  return `${lines.join('\n')}\n`;
}
