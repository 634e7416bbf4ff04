/**
 * The page tree of a Confluence bundle, from the export data (../data.ts) of one engagement and one of its scans:
 * the engagement summary (root), the method, the findings (an index and one page per finding), the hosts (an index
 * and one page per host of the scan) and the audit trail with a signed checkpoint. Titles carry the engagement's
 * name, are at most 255 characters and unique within the bundle (a repeated title gets " (2)", " (3)" in page
 * order). A page whose storage XML would pass PAGE_LIMIT is split: its blocks fill the page and as many child pages
 * ("… (part 2 of 3)") as needed, a block never split (evidence is cut into blocks of at most CODE_CHUNK characters).
 */
import { createHash } from 'node:crypto';
import type { Checkpoint } from '../../../shared/model/audit.js';
import type { Severity } from '../../../shared/model/results.js';
import { SEVERITY_WEIGHTS, scoreResults } from '../../engine/score.js';
import { evidenceText, findingRows, titleOf, words } from '../common.js';
import type { EngagementExportData, ExportFinding, ExportHostRun } from '../data.js';
import { svgToPng } from '../png.js';
import { scoresSvg } from './chart.js';
import {
  code,
  el,
  attachmentLink,
  image,
  lines,
  macro,
  newPage,
  pageLink,
  pageXml,
  panel,
  richBody,
  status,
  table,
  text,
  type Cell,
  type El,
  type StatusColour,
} from './storage.js';
import { chunks, visible } from './text.js';

/** Confluence's body limit, kept with a margin: no page's storage XML is larger. */
export const PAGE_LIMIT = 2 * 1024 * 1024;
/** Evidence per code macro, in characters. */
export const CODE_CHUNK = 256 * 1024;
const TITLE_MAX = 255;

export interface BundleInput {
  data: EngagementExportData;
  /** The scan the host pages and scores are of (null: the engagement has none). */
  scanId: string | null;
  /** Only findings a final report holds. */
  final: boolean;
  checkpoint: Checkpoint;
  exportedBy: { name: string; fingerprint: string };
  /** A finding attachment's bytes (from the workspace), to copy into the bundle. */
  attachmentBytes?: (attachmentId: string) => Buffer | undefined;
}

export interface BuiltAttachment {
  file: string;
  name: string;
  mediaType: string;
  bytes: Buffer;
}

export interface BuiltPage {
  id: string;
  title: string;
  parent: string | null;
  order: number;
  file: string;
  attachments: string[];
  xml: string;
}

type Block = (root: El) => void;

interface Spec {
  key: string;
  title: string;
  parentKey: string | null;
  blocks: Block[];
  attachments: BuiltAttachment[];
}

const SEVERITY_COLOUR: Record<Severity, StatusColour> = {
  critical: 'Red',
  high: 'Red',
  medium: 'Yellow',
  low: 'Blue',
  info: 'Grey',
};
const STATUS_COLOUR: Record<string, StatusColour> = {
  open: 'Red',
  confirmed: 'Red',
  false_positive: 'Grey',
  accepted_risk: 'Purple',
  fixed: 'Blue',
  verified_fixed: 'Green',
};
const REVIEW_COLOUR: Record<string, StatusColour> = { draft: 'Grey', in_review: 'Yellow', approved: 'Green' };

/** A title cut to the limit (by code point), visible form. */
function cutTitle(s: string, max = TITLE_MAX): string {
  const cps = [...visible(s)];
  return cps.length > max ? `${cps.slice(0, max - 1).join('')}…` : cps.join('');
}

/** Titles unique within the bundle (Confluence compares them without case): " (2)", " (3)" on repeats. */
function uniqueTitles(specs: Spec[]): void {
  const seen = new Set<string>();
  for (const s of specs) {
    let t = cutTitle(s.title);
    for (let n = 2; seen.has(t.toLowerCase()); n++)
      t = `${cutTitle(s.title, TITLE_MAX - ` (${n})`.length)} (${n})`;
    seen.add(t.toLowerCase());
    s.title = t;
  }
}

const h =
  (level: 1 | 2 | 3, s: string): Block =>
  (r) =>
    void el(r, `h${level}`, s);
const p =
  (s: string): Block =>
  (r) =>
    void lines(el(r, 'p'), s);
const codeBlocks = (body: string, title?: string): Block[] =>
  chunks(visible(body), CODE_CHUNK).map(
    (part, i, all) => (r: El) =>
      void code(
        r,
        part,
        title === undefined ? {} : { title: all.length > 1 ? `${title} (${i + 1}/${all.length})` : title },
      ),
  );

export function hostScore(h: ExportHostRun): number | null {
  return scoreResults(
    h.results.map((r) => ({ checkId: r.checkId, verdict: r.shown })),
    (id) => h.results.find((r) => r.checkId === id)?.severity,
  ).score;
}

/** A chart of the bundle: its attachments as SVG and as PNG (pixels). */
export interface BuiltChart {
  title: string;
  svg: string;
  png: string;
  width: number;
  height: number;
}

/** The pages' specs, in tree order (a parent before its children); the charts they show go into `charts`. */
function specs(input: BundleInput, charts: BuiltChart[]): Spec[] {
  const { data, final } = input;
  const e = data.engagement;
  const name = e.name;
  const scan = data.scans.find((s) => s.scan.id === input.scanId) ?? null;
  const findings = data.findings.filter((f) => !final || f.final.included);
  const out: Spec[] = [];
  const title = (s: string) => `${name}: ${s}`;

  const page = (key: string, t: string, parentKey: string | null): Spec => ({
    key,
    title: title(t),
    parentKey,
    blocks: [],
    attachments: [],
  });
  const summary = page('summary', 'Engagement summary', null);
  const method = page('method', 'Method', 'summary');
  const findingsIdx = page('findings', 'Findings', 'summary');
  const findingPages = findings.map((f, i) =>
    page(`finding-${i}`, `Finding: ${f.finding.title}`, 'findings'),
  );
  const hostsIdx = page('hosts', 'Hosts', 'summary');
  const hostRuns = scan?.hostRuns ?? [];
  const hostPages = hostRuns.map((hr, i) => page(`host-${i}`, `Host: ${hr.run.hostName}`, 'hosts'));
  const audit = page('audit', 'Audit trail', 'summary');
  out.push(summary, method, findingsIdx, ...findingPages, hostsIdx, ...hostPages, audit);
  uniqueTitles(out);

  // Engagement summary.
  const scores = hostRuns.map((hr) => ({ label: hr.run.hostName, score: hostScore(hr) }));
  const svg = scoresSvg(`Scores: ${name}`, scores);
  const png = svgToPng(svg);
  summary.attachments.push(
    {
      file: 'attachments/scores.svg',
      name: 'scores.svg',
      mediaType: 'image/svg+xml',
      bytes: Buffer.from(svg, 'utf8'),
    },
    { file: 'attachments/scores.png', name: 'scores.png', mediaType: 'image/png', bytes: png.bytes },
  );
  charts.push({
    title: `Scores: ${name}`,
    svg: 'scores.svg',
    png: 'scores.png',
    width: png.width,
    height: png.height,
  });
  summary.blocks.push(
    (r) => void macro(r, 'toc'),
    (r) =>
      void panel(
        r,
        final ? 'info' : 'note',
        final
          ? `Final: only findings approved under the four-eye rule whose approvals verify. Exported ${data.exportedAt} by ${input.exportedBy.name} (${input.exportedBy.fingerprint}).`
          : `Working copy: findings in every review state. Exported ${data.exportedAt} by ${input.exportedBy.name} (${input.exportedBy.fingerprint}).`,
      ),
    h(2, 'Engagement'),
    (r) =>
      void table(
        r,
        ['Field', 'Value'],
        [
          ['Name', e.name],
          ['Customer', e.customer ?? ''],
          ['Description', e.description ?? ''],
          ['Created', e.createdAt],
          ['Archived', e.archivedAt ?? 'no'],
        ],
      ),
    h(2, 'Scope'),
    p(e.scope ?? 'No scope was written for this engagement.'),
    h(2, 'Method'),
    (r) => {
      const para = el(r, 'p');
      text(para, `Read-only SSH assessment with the Foureyes catalogue ${data.catalogueVersion}: `);
      pageLink(para, method.title, 'the method page');
      text(para, ' lists every check and waiver.');
    },
    h(2, 'Dates'),
    (r) =>
      void table(
        r,
        ['Scan', 'Started', 'Finished', 'Status', 'Hosts'],
        data.scans.map((s) => [
          s.scan.id,
          s.scan.startedAt,
          s.scan.finishedAt ?? '',
          s.scan.status,
          String(s.hostRuns.length),
        ]),
      ),
    h(2, 'People'),
    (r) =>
      void table(
        r,
        ['Name', 'Role', 'Email', 'Key fingerprint'],
        data.people.map((x) => [x.name, x.role, x.email, x.fingerprint]),
      ),
    h(2, 'Scores per host'),
    (r) =>
      void p(scan ? `Scan ${scan.scan.id} of ${scan.scan.startedAt}.` : 'The engagement has no scan yet.')(r),
    (r) => void image(el(r, 'p'), 'scores.png', `Scores per host, scan ${scan?.scan.id ?? 'none'}`),
    (r) => {
      const para = el(r, 'p');
      text(para, 'The same chart as a vector image: ');
      attachmentLink(para, 'scores.svg', 'scores.svg');
      text(para, '.');
    },
    (r) =>
      void table(
        r,
        ['Host', 'State', 'Score'],
        hostRuns.map((hr, i) => [
          (td: El) => void pageLink(td, hostPages[i]!.title, hr.run.hostName),
          hr.run.state,
          scores[i]!.score === null ? 'no score' : String(scores[i]!.score),
        ]),
      ),
    h(2, 'Findings'),
    (r) => void findingTable(r, findings, findingPages),
    (r) => void macro(r, 'children', { all: 'true' }),
  );

  // Method.
  const checkIds = scan?.scan.checkIds ?? [];
  method.blocks.push(
    h(2, 'Catalogue'),
    p(
      `Catalogue version ${scan?.scan.catalogueVersion ?? data.catalogueVersion}; profile ${scan?.scan.profile ?? 'none (checks selected)'}; ${checkIds.length} checks in the scan.`,
    ),
    p(
      `Score: weighted pass ratio by severity (weights ${Object.entries(SEVERITY_WEIGHTS)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}); waived results are counted apart and left out.`,
    ),
    h(2, 'Checks'),
    (r) =>
      void table(
        r,
        ['Check', 'Title', 'Family', 'Area', 'Severity'],
        checkIds.map((id) => {
          const c = data.checks.get(id);
          return [id, titleOf(data.checks, id), c?.family ?? '', c?.area ?? '', c?.severity ?? ''];
        }),
      ),
    h(2, 'Waivers'),
    (r) =>
      void table(
        r,
        ['Check', 'Host', 'State', 'Reason', 'Owner', 'Expires', 'Requested by', 'Approved by'],
        data.waivers.map((w) => [
          w.checkId,
          w.hostName ?? 'all hosts',
          w.state,
          w.reason,
          w.owner ?? '',
          w.expiresOn,
          `${w.requestedBy.name} (${w.requestedBy.at})`,
          w.approval ? `${w.approval.name} (${w.approval.at})` : '',
        ]),
      ),
  );

  // Findings.
  findingsIdx.blocks.push(
    p(
      final
        ? 'The findings of the final report, by severity.'
        : 'Every finding of the engagement, in every review state.',
    ),
    (r) => void findingTable(r, findings, findingPages),
    (r) => void macro(r, 'children'),
  );
  findings.forEach((f, i) =>
    findingPages[i]!.blocks.push(...findingBlocks(f, data, findingPages[i]!, input.attachmentBytes)),
  );

  // Hosts.
  hostsIdx.blocks.push(
    (r) =>
      void table(
        r,
        ['Host', 'State', 'Score'],
        hostRuns.map((hr, i) => [
          (td: El) => void pageLink(td, hostPages[i]!.title, hr.run.hostName),
          hr.run.state,
          String(scores[i]!.score ?? 'no score'),
        ]),
      ),
    (r) => void macro(r, 'children'),
  );
  hostRuns.forEach((hr, i) => hostPages[i]!.blocks.push(...hostBlocks(hr, scores[i]!.score, data)));

  // Audit trail.
  const cp = input.checkpoint;
  const cpJson = `${JSON.stringify(cp, null, 2)}\n`;
  audit.attachments.push({
    file: 'attachments/audit-checkpoint.json',
    name: 'audit-checkpoint.json',
    mediaType: 'application/json',
    bytes: Buffer.from(cpJson, 'utf8'),
  });
  audit.blocks.push(
    p(
      'Every change in the workspace is an event of a hash-chained trail, each signed (Ed25519) by the person who made it. The checkpoint below, signed when this bundle was exported, holds the count of events and the hash of the last one; `foureyes audit verify --checkpoint audit-checkpoint.json` on the workspace shows that the trail still holds them unchanged.',
    ),
    (r) =>
      void table(
        r,
        ['Field', 'Value'],
        [
          ['Events', String(cp.count)],
          ['Head hash', cp.headHash],
          ['Signed at', cp.at],
          ['Signed by', cp.signer.name],
          ['Signature (Ed25519, base64)', cp.signature],
        ],
      ),
    (r) => void code(r, cpJson, { title: 'audit-checkpoint.json', language: 'javascript' }),
  );
  return out;
}

function findingTable(r: El, findings: readonly ExportFinding[], pages: readonly Spec[]): void {
  table(
    r,
    ['Finding', 'Severity', 'Status', 'Review', 'Hosts'],
    findings.map((f, i) => [
      (td: El) => void pageLink(td, pages[i]!.title, f.finding.title),
      (td: El) => void status(td, f.finding.severity.toUpperCase(), SEVERITY_COLOUR[f.finding.severity]),
      (td: El) =>
        void status(td, words(f.finding.status).toUpperCase(), STATUS_COLOUR[f.finding.status] ?? 'Grey'),
      (td: El) =>
        void status(
          td,
          words(f.finding.reviewState).toUpperCase(),
          REVIEW_COLOUR[f.finding.reviewState] ?? 'Grey',
        ),
      String(f.hosts.filter((x) => x.shown === 'failing').length),
    ]),
  );
}

const EXT: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
};

function findingBlocks(
  f: ExportFinding,
  data: EngagementExportData,
  spec: Spec,
  attachmentBytes: BundleInput['attachmentBytes'],
): Block[] {
  const x = f.finding;
  const check = data.checks.get(x.key);
  const blocks: Block[] = [
    (r) => {
      const para = el(r, 'p');
      status(para, x.severity.toUpperCase(), SEVERITY_COLOUR[x.severity]);
      text(para, ' ');
      status(para, words(x.status).toUpperCase(), STATUS_COLOUR[x.status] ?? 'Grey');
      text(para, ' ');
      status(para, words(x.reviewState).toUpperCase(), REVIEW_COLOUR[x.reviewState] ?? 'Grey');
    },
    (r) =>
      void table(
        r,
        ['Field', 'Value'],
        [
          ...(({ check, severity, status }) => [check, severity, status])(findingRows(x, data.checks)),
          ['Owner', x.customerOwner ?? ''],
          ['Due date', x.dueDate ?? ''],
          ['Tags', x.tags.join(', ')],
          ['Revision', String(x.revision)],
        ],
      ),
    h(2, 'Approval'),
    f.approvedBy.length > 0
      ? (r) =>
          void table(
            r,
            ['Approved by', 'At'],
            f.approvedBy.map((a) => [a.name, a.at]),
          )
      : (r) => void panel(r, 'warning', `Not in a final report: ${f.final.reason ?? 'not approved'}.`),
    h(2, 'Affected hosts'),
    (r) =>
      void table(
        r,
        ['Host', 'State', 'First seen', 'Last seen', 'Found'],
        f.hosts.map((hp) => [hp.targetName, hp.shown, hp.firstSeenAt, hp.lastSeenAt, hp.actual]),
      ),
  ];
  if (check?.rationale) blocks.push(h(2, 'Why it matters'), p(check.rationale));
  blocks.push(h(2, 'Recommendation'), p(x.recommendation || check?.remediation.text || ''));
  if (check) {
    blocks.push(h(2, 'Remediation'), p(check.remediation.text));
    if (check.remediation.shell) blocks.push(...codeBlocks(check.remediation.shell, 'Shell'));
    if (check.remediation.ansible) blocks.push(...codeBlocks(check.remediation.ansible, 'Ansible task'));
  }
  if (x.notes) blocks.push(h(2, 'Notes'), p(x.notes));
  blocks.push(h(2, 'Evidence'));
  for (const hp of f.hosts) {
    if (hp.evidence.length === 0) continue;
    blocks.push(h(3, hp.targetName), ...codeBlocks(evidenceText(hp.evidence), hp.targetName));
  }
  if (f.attachments.length > 0) {
    // Each attachment travels under a name of our making (the page's key and its position), its own name shown as
    // text; bytes that no longer hash to what the finding (and its approval) recorded are not copied.
    const rows: Cell[][] = [];
    const shown: { name: string; image: boolean }[] = [];
    f.attachments.forEach((a, n) => {
      const bytes = attachmentBytes?.(a.id);
      const ok = bytes !== undefined && createHash('sha256').update(bytes).digest('hex') === a.sha256;
      const name = `${spec.key}-${n + 1}.${EXT[a.mediaType] ?? 'bin'}`;
      if (ok) {
        spec.attachments.push({ file: `attachments/${name}`, name, mediaType: a.mediaType, bytes });
        shown.push({ name, image: a.mediaType.startsWith('image/') });
      }
      rows.push([
        ok ? (td: El) => void attachmentLink(td, name, a.name) : a.name,
        a.mediaType,
        String(a.size),
        a.sha256,
        ok ? 'attached' : 'not copied: its bytes do not match the recorded SHA-256',
      ]);
    });
    blocks.push(
      h(2, 'Attachments'),
      (r) => void table(r, ['Name', 'Type', 'Size', 'SHA-256', 'In this page'], rows),
    );
    for (const s of shown) if (s.image) blocks.push((r) => void image(el(r, 'p'), s.name, s.name));
  }
  return blocks;
}

function hostBlocks(hr: ExportHostRun, score: number | null, data: EngagementExportData): Block[] {
  const run = hr.run;
  const id = run.identity ?? {};
  const blocks: Block[] = [
    (r) =>
      void table(
        r,
        ['Field', 'Value'],
        [
          ['Score', score === null ? 'no score' : String(score)],
          ['State', run.state],
          ['Source', run.source],
          ['Privilege', run.privilege ?? ''],
          ['Started', run.startedAt ?? ''],
          ['Finished', run.finishedAt ?? ''],
          ...Object.entries(id)
            .filter((kv): kv is [string, string] => typeof kv[1] === 'string')
            .map(([k, v]) => [`Target ${k}`, v]),
        ],
      ),
  ];
  if (run.error)
    blocks.push((r) => void panel(r, 'warning', `Not assessed: ${run.error!.code}: ${run.error!.message}`));
  const failed = hr.results.filter((r) => r.shown === 'fail' || r.shown === 'error');
  const waived = hr.results.filter((r) => r.shown === 'waived');
  blocks.push(
    h(2, 'Failed checks'),
    (r) =>
      void table(
        r,
        ['Check', 'Severity', 'Verdict', 'Reason', 'Expected', 'Found'],
        failed.map((x) => [
          `${x.checkId}: ${titleOf(data.checks, x.checkId)}`,
          (td: El) => void status(td, x.severity.toUpperCase(), SEVERITY_COLOUR[x.severity]),
          x.shown,
          x.reason,
          x.expected,
          x.actual,
        ]),
      ),
  );
  if (waived.length > 0)
    blocks.push(
      h(2, 'Waived'),
      (r) =>
        void table(
          r,
          ['Check', 'Was', 'Until', 'Reason'],
          waived.map((x) => [x.checkId, x.verdict, x.waiver?.expiresOn ?? '', x.waiver?.reason ?? '']),
        ),
    );
  blocks.push(h(2, 'Evidence'));
  for (const x of failed) {
    const ev = evidenceText(x.evidence);
    if (!ev) continue;
    blocks.push(h(3, x.checkId), ...codeBlocks(ev, x.checkId));
  }
  blocks.push(
    h(2, 'Counts'),
    p(
      Object.entries(
        hr.results.reduce<Record<string, number>>(
          (acc, x) => ((acc[x.shown] = (acc[x.shown] ?? 0) + 1), acc),
          {},
        ),
      )
        .map(([k, v]) => `${words(k)}: ${v}`)
        .join(', ') || 'no results',
    ),
  );
  return blocks;
}

const blockSize = (b: Block): number => {
  const root = newPage();
  b(root);
  return Buffer.byteLength(pageXml(root)) - EMPTY;
};
const EMPTY = Buffer.byteLength(pageXml(newPage()));

/** Renders the specs: pages over PAGE_LIMIT split into child pages. Ids and files follow the tree order. */
export function buildPages(input: BundleInput): {
  pages: BuiltPage[];
  attachments: BuiltAttachment[];
  charts: BuiltChart[];
} {
  const charts: BuiltChart[] = [];
  const all = specs(input, charts);
  const titles = new Set(all.map((s) => s.title.toLowerCase()));
  const pages: BuiltPage[] = [];
  const ids = new Map<string, string>();
  const order = new Map<string, number>();
  const attachments: BuiltAttachment[] = [];
  const budget = PAGE_LIMIT - 16 * 1024;
  const nextId = () => `p${String(pages.length + 1).padStart(4, '0')}`;
  const render = (blocks: Block[]): string => {
    const root = newPage();
    for (const b of blocks) b(root);
    return pageXml(root);
  };
  const add = (
    title: string,
    parent: string | null,
    blocks: Block[],
    atts: BuiltAttachment[],
    xml = render(blocks),
  ): string => {
    const id = nextId();
    const key = parent ?? '';
    const n = order.get(key) ?? 0;
    order.set(key, n + 1);
    pages.push({
      id,
      title,
      parent,
      order: n,
      file: `pages/${id}.xml`,
      attachments: atts.map((a) => a.name),
      xml,
    });
    attachments.push(...atts);
    return id;
  };
  for (const s of all) {
    const parent = s.parentKey === null ? null : (ids.get(s.parentKey) ?? null);
    // Most pages fit: built once. Only a page over the budget is measured block by block and split.
    const whole = render(s.blocks);
    if (Buffer.byteLength(whole) - EMPTY <= budget) {
      ids.set(s.key, add(s.title, parent, s.blocks, s.attachments, whole));
      continue;
    }
    const parts: Block[][] = [[]];
    let used = 0;
    for (const b of s.blocks) {
      const n = blockSize(b);
      if (used + n > budget && parts[parts.length - 1]!.length > 0) {
        parts.push([]);
        used = 0;
      }
      parts[parts.length - 1]!.push(b);
      used += n;
    }
    if (parts.length === 1) {
      ids.set(s.key, add(s.title, parent, parts[0]!, s.attachments));
      continue;
    }
    const first = parts[0]!;
    const note: Block = (r) => {
      const m = macro(r, 'info');
      lines(
        el(richBody(m), 'p'),
        `This page is longer than Confluence takes in one page: it goes on in ${parts.length - 1} child pages.`,
      );
    };
    const id = add(s.title, parent, [...first, note, (r) => void macro(r, 'children')], s.attachments);
    ids.set(s.key, id);
    parts.slice(1).forEach((blocks, i) => {
      let t = `${cutTitle(s.title, TITLE_MAX - 24)} (part ${i + 2} of ${parts.length})`;
      for (let k = 2; titles.has(t.toLowerCase()); k++)
        t = `${cutTitle(s.title, TITLE_MAX - 30)} (part ${i + 2} of ${parts.length}) (${k})`;
      titles.add(t.toLowerCase());
      add(t, id, blocks, []);
    });
  }
  return { pages, attachments, charts };
}
