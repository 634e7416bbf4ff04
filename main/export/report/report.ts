/**
 * The standalone HTML report of an engagement, for one of three audiences, from the export data (../data.ts) read
 * once: one self-contained document (fonts as data: URLs, charts as inline SVG, CSS in one <style>, no script, a
 * Content-Security-Policy that lets nothing load). Every audience has the executive summary, the findings by
 * severity, the method (catalogue version, profile, waivers), the approvals and the audit checkpoint (count and head
 * hash); `executive` keeps each short enough for one A4 page (posture, top risks, the trend across the engagement's
 * scans), `manager` adds the findings by owner and due date with their status and approvals, `engineer` every
 * finding in full and every check of every host with its verdict, evidence and fix. Printed, each section starts a
 * page (but in the executive report). Pure: the same input gives the same bytes.
 */
import type { Checkpoint } from '../../../shared/model/audit.js';
import { REVIEW_STATES } from '../../../shared/model/finding.js';
import { SEVERITIES, type Severity, type ShownVerdict } from '../../../shared/model/results.js';
import { boundForm, cutForm } from '../../../shared/text/target-text.js';
import { SEVERITY_WEIGHTS, scoreResults } from '../../engine/score.js';
import { evidenceText, findingRows, titleOf, words } from '../common.js';
import type { EngagementExportData, ExportFinding, ExportHostRun } from '../data.js';
import { scoresChart, trendChart } from '../confluence/chart.js';
import { hostScore } from '../confluence/pages.js';
import { REPORT_FONTS, fontBytes } from './fonts.js';
import { css, documentHtml, el, lines, style, svg, type Child, type Css, type Markup } from './html.js';

export const AUDIENCES = ['executive', 'manager', 'engineer'] as const;
export type Audience = (typeof AUDIENCES)[number];
export const isAudience = (s: string): s is Audience => (AUDIENCES as readonly string[]).includes(s);

export const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; base-uri 'none'; form-action 'none'";
/** Evidence shown per result or finding host, in characters (the exports in JSON hold all of it). */
export const EVIDENCE_MAX = 16 * 1024;

export interface ReportInput {
  data: EngagementExportData;
  /** The scan of the host sections and scores (null: the engagement has none). */
  scanId: string | null;
  audience: Audience;
  /** Only findings a final report holds. */
  final: boolean;
  checkpoint: Checkpoint;
  exportedBy: { name: string; fingerprint: string };
}

const BY_SEVERITY = [...SEVERITIES].reverse();
const CLOSED = new Set(['false_positive', 'fixed', 'verified_fixed']);

/** The score of a whole scan (every result of every host). */
function scanScore(runs: readonly ExportHostRun[]): number | null {
  const all = runs.flatMap((h) => h.results);
  const sev = new Map(all.map((r) => [r.checkId, r.severity]));
  return scoreResults(
    all.map((r) => ({ checkId: r.checkId, verdict: r.shown })),
    (id) => sev.get(id),
  ).score;
}

const n = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;
/** A name or title as the executive report shows it: at most `max` characters, never cut inside an escape. */
const short = (s: string, max = 90): string => boundForm(s, max);
const scoreText = (s: number | null): string => (s === null ? 'no score' : `${s}`);
const failing = (f: ExportFinding): number => f.hosts.filter((h) => h.shown === 'failing').length;

/** Text of at most EVIDENCE_MAX characters, never cut inside an escape, saying how much was left out. */
function bounded(s: string): string {
  if (s.length <= EVIDENCE_MAX) return s;
  const cut = cutForm(s, EVIDENCE_MAX);
  return `${cut}\n… ${s.length - cut.length} more characters (the engagement JSON export holds all of it)`;
}

const table = (head: readonly string[], rows: readonly (readonly Child[])[], cls?: string): Markup =>
  el(
    'table',
    cls ? { class: cls } : null,
    el(
      'thead',
      null,
      el(
        'tr',
        null,
        head.map((h) => el('th', null, h)),
      ),
    ),
    el(
      'tbody',
      null,
      rows.length === 0
        ? el('tr', null, el('td', { colspan: head.length, class: 'none' }, 'None.'))
        : rows.map((r) =>
            el(
              'tr',
              null,
              r.map((c) => el('td', null, c)),
            ),
          ),
    ),
  );

const badge = (kind: string, value: string): Markup =>
  el('span', { class: `badge ${kind}-${value}` }, words(value).toUpperCase());
const sev = (s: Severity): Markup => badge('sev', s);
const verdict = (v: ShownVerdict): Markup =>
  el('span', { class: `badge v-${v}`, 'data-verdict': v }, words(v));

function section(id: string, title: string, ...body: Child[]): Markup {
  return el('section', { id, class: 'section' }, el('h2', null, title), ...body);
}

const fontCss = (): Css => {
  const sans = fontBytes(REPORT_FONTS.sans.file).toString('base64');
  const mono = fontBytes(REPORT_FONTS.mono.file).toString('base64');
  return css`
    @font-face {
      font-family: 'Inter';
      font-style: normal;
      font-weight: 100 900;
      font-display: block;
      src: url(data:font/woff2;base64,${sans}) format('woff2');
    }
    @font-face {
      font-family: 'JetBrains Mono';
      font-style: normal;
      font-weight: 400;
      font-display: block;
      src: url(data:font/woff2;base64,${mono}) format('woff2');
    }
  `;
};

const BASE_CSS = css`
  :root {
    color-scheme: light;
  }
  * {
    box-sizing: border-box;
  }
  body {
    font-family: 'Inter', sans-serif;
    font-size: 10.5pt;
    line-height: 1.45;
    color: #1b1f24;
    margin: 0 auto;
    max-width: 1100px;
    padding: 24px;
  }
  h1 {
    font-size: 20pt;
    margin: 0 0 4px;
  }
  h2 {
    font-size: 14pt;
    margin: 24px 0 8px;
    border-bottom: 2px solid #1565c0;
    padding-bottom: 2px;
  }
  h3 {
    font-size: 11.5pt;
    margin: 16px 0 6px;
  }
  h4 {
    font-size: 10.5pt;
    margin: 10px 0 4px;
  }
  p {
    margin: 4px 0 8px;
  }
  code,
  pre,
  .mono {
    font-family: 'JetBrains Mono', monospace;
    font-size: 8.5pt;
  }
  pre {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    word-break: break-all;
    background: #f5f6f8;
    border: 1px solid #e1e4e8;
    padding: 6px 8px;
    margin: 4px 0 8px;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    margin: 4px 0 12px;
    font-size: 9.5pt;
  }
  th,
  td {
    border: 1px solid #d5d9de;
    padding: 3px 6px;
    text-align: left;
    vertical-align: top;
    overflow-wrap: anywhere;
  }
  th {
    background: #eef1f5;
  }
  td.none {
    color: #6a737d;
  }
  .meta {
    color: #4a525a;
    margin: 0 0 12px;
  }
  .banner {
    padding: 6px 10px;
    border-radius: 4px;
    margin: 8px 0;
  }
  .banner.final {
    background: #e8f5e9;
    border: 1px solid #2e7d32;
  }
  .banner.working {
    background: #fff8e1;
    border: 1px solid #f9a825;
  }
  .posture {
    display: flex;
    gap: 24px;
    align-items: center;
    margin: 8px 0;
  }
  .score {
    font-size: 32pt;
    font-weight: 700;
    line-height: 1;
  }
  .badge {
    display: inline-block;
    padding: 0 6px;
    border-radius: 3px;
    font-size: 8pt;
    font-weight: 600;
    white-space: nowrap;
    background: #e1e4e8;
  }
  .sev-critical,
  .sev-high {
    background: #c62828;
    color: #fff;
  }
  .sev-medium {
    background: #f9a825;
  }
  .sev-low {
    background: #1565c0;
    color: #fff;
  }
  .v-fail,
  .v-error {
    background: #ffcdd2;
  }
  .v-pass {
    background: #c8e6c9;
  }
  .v-waived {
    background: #e1bee7;
  }
  .chart svg {
    max-width: 100%;
    height: auto;
    display: block;
  }
  .host {
    margin-top: 12px;
  }
  .hash {
    font-family: 'JetBrains Mono', monospace;
    overflow-wrap: anywhere;
  }
  @page {
    size: A4;
    margin: 14mm;
  }
  @media print {
    body {
      max-width: none;
      padding: 0;
    }
    .section {
      break-before: page;
    }
    .section:first-of-type {
      break-before: auto;
    }
    h2,
    h3,
    h4 {
      break-after: avoid;
    }
    tr,
    pre {
      break-inside: avoid-page;
    }
  }
`;

const EXECUTIVE_CSS = css`
  body {
    font-size: 9pt;
    line-height: 1.3;
    max-width: 800px;
  }
  h1 {
    font-size: 15pt;
  }
  h2 {
    font-size: 11pt;
    margin: 10px 0 4px;
  }
  table {
    font-size: 8.5pt;
    margin: 2px 0 6px;
  }
  th,
  td {
    padding: 1px 5px;
  }
  .score {
    font-size: 24pt;
  }
  .chart svg {
    max-height: 130px;
    width: auto;
  }
  @page {
    size: A4;
    margin: 10mm;
  }
  @media print {
    .section {
      break-before: auto;
    }
  }
`;

/** The report's HTML document. */
export function reportHtml(input: ReportInput): string {
  const { data, audience, final } = input;
  const e = data.engagement;
  const scan = data.scans.find((s) => s.scan.id === input.scanId) ?? null;
  const hostRuns = scan?.hostRuns ?? [];
  const findings = data.findings
    .filter((f) => !final || f.final.included)
    .sort(
      (a, b) =>
        SEVERITIES.indexOf(b.finding.severity) - SEVERITIES.indexOf(a.finding.severity) ||
        failing(b) - failing(a) ||
        a.finding.title.localeCompare(b.finding.title),
    );
  const exec = audience === 'executive';
  const fid = new Map(findings.map((f, i) => [f.finding.id, `finding-${i + 1}`]));
  const findingRef = (f: ExportFinding): Child =>
    audience === 'engineer'
      ? el('a', { href: `#${fid.get(f.finding.id)!}` }, f.finding.title)
      : f.finding.title;

  // Executive summary.
  const posture = scan ? scanScore(hostRuns) : null;
  const trend = trendChart(
    'Score across the scans of the engagement',
    data.scans.map((s) => ({
      label: s.scan.startedAt.slice(0, 16).replace('T', ' '),
      score: scanScore(s.hostRuns),
    })),
  );
  const scores = hostRuns.map((hr) => ({ label: hr.run.hostName, score: hostScore(hr) }));
  const open = findings.filter((f) => !CLOSED.has(f.finding.status) && failing(f) > 0);
  const top = open.slice(0, 5);
  const counts = BY_SEVERITY.map((s) => ({ s, all: findings.filter((f) => f.finding.severity === s) }));
  const assessed = hostRuns.filter((h) => h.run.state === 'done').length;
  const lowest = [...scores]
    .filter((s) => s.score !== null)
    .sort((a, b) => a.score! - b.score!)
    .slice(0, 3);

  const summary = section(
    'summary',
    'Executive summary',
    el(
      'div',
      { class: 'posture' },
      el(
        'div',
        null,
        el('div', { class: 'score' }, scoreText(posture)),
        el('small', null, 'security score (0-100)'),
      ),
      el(
        'div',
        null,
        el(
          'p',
          null,
          scan
            ? `Scan of ${scan.scan.startedAt}: ${assessed} of ${n(hostRuns.length, 'host')} assessed, ${n(scan.scan.checkIds.length, 'check')} each.`
            : 'The engagement has no scan yet.',
        ),
        el(
          'p',
          null,
          `${n(findings.length, 'finding')} (${
            counts
              .filter((c) => c.all.length > 0)
              .map((c) => `${c.all.length} ${c.s}`)
              .join(', ') || 'none'
          }); ${open.length} open on at least one host.`,
        ),
        lowest.length > 0
          ? el(
              'p',
              null,
              `Lowest scores: ${lowest.map((l) => `${short(l.label, 40)} ${scoreText(l.score)}`).join(', ')}.`,
            )
          : null,
      ),
    ),
    el('h3', null, 'Top risks'),
    table(
      ['Severity', 'Finding', 'Hosts', 'Status'],
      top.map((f) => [
        sev(f.finding.severity),
        exec ? short(f.finding.title) : findingRef(f),
        String(failing(f)),
        words(f.finding.status),
      ]),
    ),
    el('figure', { class: 'chart' }, svg(trend, 'Score across the scans of the engagement')),
    exec
      ? null
      : el(
          'figure',
          { class: 'chart' },
          svg(scoresChart(`Scores per host: ${e.name}`, scores), 'Scores per host'),
        ),
    exec ? null : el('h3', null, 'Scope'),
    exec ? null : el('p', null, lines(e.scope ?? 'No scope was written for this engagement.')),
  );

  // Findings by severity.
  const bySeverity = section(
    'findings',
    'Findings by severity',
    exec
      ? table(
          ['Severity', 'Findings', 'Open', 'Most affected'],
          counts.map((c) => [
            sev(c.s),
            String(c.all.length),
            String(c.all.filter((f) => open.includes(f)).length),
            c.all.length === 0
              ? ''
              : short(c.all[0]!.finding.title, 70) +
                (c.all.length > 1 ? `; and ${c.all.length - 1} more` : ''),
          ]),
        )
      : counts
          .filter((c) => c.all.length > 0)
          .map((c) => [
            el('h3', null, `${words(c.s).replace(/^./, (x) => x.toUpperCase())} (${c.all.length})`),
            table(
              ['Finding', 'Status', 'Review', 'Hosts failing', 'Owner', 'Due'],
              c.all.map((f) => [
                findingRef(f),
                words(f.finding.status),
                words(f.finding.reviewState),
                String(failing(f)),
                f.finding.customerOwner ?? '',
                f.finding.dueDate ?? '',
              ]),
            ),
          ]),
    !exec && findings.length === 0 ? el('p', null, 'No findings.') : null,
  );

  // Findings by owner and due date (manager).
  const owners = [...new Set(findings.map((f) => f.finding.customerOwner ?? ''))].sort((a, b) =>
    a === '' ? 1 : b === '' ? -1 : a.localeCompare(b),
  );
  const byOwner =
    audience === 'manager'
      ? section(
          'owners',
          'Findings by owner and due date',
          owners.map((o) => {
            const mine = findings
              .filter((f) => (f.finding.customerOwner ?? '') === o)
              .sort((a, b) => (a.finding.dueDate ?? '9999').localeCompare(b.finding.dueDate ?? '9999'));
            return [
              el('h3', null, o === '' ? 'No owner named' : o),
              table(
                ['Due', 'Finding', 'Severity', 'Status', 'Review', 'Approved by'],
                mine.map((f) => [
                  f.finding.dueDate ?? 'no due date',
                  f.finding.title,
                  sev(f.finding.severity),
                  f.finding.statusReason
                    ? `${words(f.finding.status)}: ${f.finding.statusReason}`
                    : words(f.finding.status),
                  words(f.finding.reviewState),
                  f.approvedBy.map((a) => `${a.name} (${a.at})`).join('; '),
                ]),
              ),
            ];
          }),
        )
      : null;

  // Every finding in full, every host's checks (engineer).
  const details =
    audience === 'engineer'
      ? [
          section(
            'details',
            'Findings in detail',
            findings.map((f) => findingDetail(f, data, fid.get(f.finding.id)!)),
          ),
          section(
            'hosts',
            'Hosts',
            scan
              ? el('p', null, `Scan ${scan.scan.id} of ${scan.scan.startedAt}.`)
              : el('p', null, 'No scan yet.'),
            hostRuns.map((hr, i) => hostDetail(hr, scores[i]!.score, data, i)),
          ),
        ]
      : null;

  // Method.
  const checkIds = scan?.scan.checkIds ?? [];
  const activeWaivers = data.waivers.filter((w) => w.state === 'approved');
  const method = section(
    'method',
    'Method',
    el(
      'p',
      null,
      `Read-only SSH assessment. Catalogue version ${scan?.scan.catalogueVersion ?? data.catalogueVersion}; profile ${scan?.scan.profile ?? 'none (checks selected)'}; ${n(checkIds.length, 'check')} in the scan; ${n(data.scans.length, 'scan')} in the engagement.`,
    ),
    exec
      ? null
      : el(
          'p',
          null,
          `Score: weighted pass ratio by severity (weights ${Object.entries(SEVERITY_WEIGHTS)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}); waived results are counted apart and left out.`,
        ),
    el('h3', null, `Waivers (${data.waivers.length}, ${activeWaivers.length} approved)`),
    table(
      exec
        ? ['Check', 'Host', 'State', 'Expires']
        : ['Check', 'Host', 'State', 'Reason', 'Owner', 'Expires', 'Requested by', 'Approved by'],
      (exec ? data.waivers.slice(0, 3) : data.waivers).map((w) =>
        exec
          ? [w.checkId, short(w.hostName ?? 'all hosts', 40), w.state, w.expiresOn]
          : [
              w.checkId,
              w.hostName ?? 'all hosts',
              w.state,
              w.reason,
              w.owner ?? '',
              w.expiresOn,
              `${w.requestedBy.name} (${w.requestedBy.at})`,
              w.approval ? `${w.approval.name} (${w.approval.at})` : '',
            ],
      ),
    ),
    exec && data.waivers.length > 3 ? el('p', null, `And ${data.waivers.length - 3} more waivers.`) : null,
  );

  // Approvals.
  const approved = findings.filter((f) => f.final.included).length;
  const approvers = [...new Set(findings.flatMap((f) => f.approvedBy.map((a) => a.name)))].sort();
  const approvals = section(
    'approvals',
    'Approvals',
    el(
      'p',
      null,
      `Four-eye rule: ${data.approvalsRequired} approval${data.approvalsRequired === 1 ? '' : 's'} by a person other than the authors. ${approved} of ${n(findings.length, 'finding')} approved with approvals that verify.`,
    ),
    exec
      ? el(
          'p',
          null,
          `Review: ${REVIEW_STATES.map((state) => `${findings.filter((f) => f.finding.reviewState === state).length} ${words(state)}`).join(', ')}. ${
            approvers.length === 0
              ? 'No approvals yet.'
              : `Approved by ${approvers.length > 3 ? `${approvers.slice(0, 3).join(', ')} and ${approvers.length - 3} more` : approvers.join(', ')}.`
          }`,
        )
      : table(
          ['Finding', 'Review', 'Approved by', 'Not in a final report because'],
          findings.map((f) => [
            findingRef(f),
            words(f.finding.reviewState),
            f.approvedBy.map((a) => `${a.name} (${a.at})`).join('; '),
            f.final.reason ?? '',
          ]),
        ),
  );

  // Audit checkpoint.
  const cp = input.checkpoint;
  const audit = section(
    'audit',
    'Audit checkpoint',
    exec
      ? el(
          'p',
          null,
          `The trail held ${n(cp.count, 'event')} ending at `,
          el('span', { class: 'hash' }, cp.headHash),
          `: signed ${cp.at} by ${cp.signer.name} (${input.exportedBy.fingerprint}).`,
        )
      : [
          el(
            'p',
            null,
            'Every change in the workspace is an event of a hash-chained trail, each signed by the person who made it; this checkpoint was signed when the report was made.',
          ),
          table(
            ['Field', 'Value'],
            [
              ['Events', String(cp.count)],
              ['Head hash', el('span', { class: 'hash' }, cp.headHash)],
              ['Signed at', cp.at],
              ['Signed by', `${cp.signer.name} (${input.exportedBy.fingerprint})`],
              ['Signature (Ed25519, base64)', el('span', { class: 'hash' }, cp.signature)],
            ],
          ),
        ],
  );

  const title = `${e.name}: security assessment`;
  const doc = el(
    'html',
    { lang: 'en', 'data-audience': audience },
    el(
      'head',
      null,
      el('meta', { charset: 'utf-8' }),
      el('meta', { 'http-equiv': 'Content-Security-Policy', content: REPORT_CSP }),
      el('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      el('meta', { name: 'generator', content: `${data.tool.name} ${data.tool.version}` }),
      el('title', null, title),
      style(
        exec
          ? css`
              ${fontCss()}${BASE_CSS}${EXECUTIVE_CSS}
            `
          : css`
              ${fontCss()}${BASE_CSS}
            `,
      ),
    ),
    el(
      'body',
      null,
      el(
        'header',
        null,
        el('h1', null, title),
        el(
          'p',
          { class: 'meta' },
          [
            `${audience.replace(/^./, (x) => x.toUpperCase())} report`,
            e.customer ? `for ${e.customer}` : null,
            `made ${data.exportedAt} by ${input.exportedBy.name}`,
            `${data.tool.name} ${data.tool.version}`,
          ]
            .filter((x) => x !== null)
            .join(' · '),
        ),
        el(
          'p',
          { class: `banner ${final ? 'final' : 'working'}` },
          final
            ? 'Final: only findings approved under the four-eye rule whose approvals verify.'
            : 'Working copy: findings in every review state.',
        ),
      ),
      el('main', null, summary, bySeverity, byOwner, details, method, approvals, audit),
    ),
  );
  return documentHtml(doc);
}

function findingDetail(f: ExportFinding, data: EngagementExportData, id: string): Markup {
  const x = f.finding;
  const check = data.checks.get(x.key);
  return el(
    'div',
    { id, class: 'finding' },
    el('h3', null, sev(x.severity), ' ', x.title),
    table(
      ['Field', 'Value'],
      [
        ...Object.values(findingRows(x, data.checks)),
        ['Approved by', f.approvedBy.map((a) => `${a.name} (${a.at})`).join('; ') || (f.final.reason ?? '')],
        ['Owner', x.customerOwner ?? ''],
        ['Due date', x.dueDate ?? ''],
        ['Tags', x.tags.join(', ')],
      ],
    ),
    el('h4', null, 'Affected hosts'),
    table(
      ['Host', 'State', 'First seen', 'Last seen', 'Found'],
      f.hosts.map((h) => [h.targetName, h.shown, h.firstSeenAt, h.lastSeenAt, bounded(h.actual)]),
    ),
    check?.rationale ? [el('h4', null, 'Why it matters'), el('p', null, lines(check.rationale))] : null,
    el('h4', null, 'Recommendation'),
    el('p', null, lines(x.recommendation || check?.remediation.text || '')),
    check?.remediation.shell ? el('pre', null, check.remediation.shell) : null,
    x.notes ? [el('h4', null, 'Notes'), el('p', null, lines(x.notes))] : null,
    f.hosts.some((h) => h.evidence.length > 0) ? el('h4', null, 'Evidence') : null,
    f.hosts
      .filter((h) => h.evidence.length > 0)
      .map((h) => [
        el('p', null, el('strong', null, h.targetName)),
        el('pre', null, bounded(evidenceText(h.evidence))),
      ]),
  );
}

function hostDetail(hr: ExportHostRun, score: number | null, data: EngagementExportData, i: number): Markup {
  const run = hr.run;
  const order = (v: ShownVerdict) =>
    ['fail', 'error', 'manual', 'waived', 'pass', 'not_applicable'].indexOf(v);
  const results = [...hr.results].sort(
    (a, b) =>
      order(a.shown) - order(b.shown) || SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity),
  );
  return el(
    'div',
    { id: `host-${i + 1}`, class: 'host' },
    el('h3', null, run.hostName),
    el(
      'p',
      null,
      `Score ${scoreText(score)} · ${run.state} · ${run.source}${run.privilege ? ` · privilege ${run.privilege}` : ''}`,
    ),
    run.error
      ? el('p', { class: 'banner working' }, `Not assessed: ${run.error.code}: ${run.error.message}`)
      : null,
    results.map((r) => {
      const check = data.checks.get(r.checkId);
      const ev = evidenceText(r.evidence);
      return el(
        'div',
        { class: 'check' },
        el(
          'h4',
          null,
          verdict(r.shown),
          ' ',
          sev(r.severity),
          ' ',
          `${r.checkId}: ${titleOf(data.checks, r.checkId)}`,
        ),
        table(['Reason', 'Expected', 'Found'], [[bounded(r.reason), bounded(r.expected), bounded(r.actual)]]),
        r.waiver
          ? el('p', null, `Waived (was ${r.verdict}) until ${r.waiver.expiresOn}: ${r.waiver.reason}`)
          : null,
        ev ? el('pre', null, bounded(ev)) : null,
        (r.shown === 'fail' || r.shown === 'error' || r.shown === 'manual') && check
          ? [
              el('p', null, el('strong', null, 'Fix: '), lines(check.remediation.text)),
              check.remediation.shell ? el('pre', null, check.remediation.shell) : null,
            ]
          : null,
      );
    }),
  );
}
