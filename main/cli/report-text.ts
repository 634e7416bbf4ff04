/**
 * The report as text for a terminal. The summary line is the scan's state in words (a scan whose hosts failed
 * never reads as a plain "done" above them). Everything that came from a target (result values, error messages,
 * host names, what the target says it is) goes through `term()`: control characters are shown as `\x1b`-style
 * escapes, so an escape sequence in a banner or a file cannot move the cursor, recolour or retitle the terminal.
 */
import type { HostReport, ScanReport } from './report.js';
import { term } from './term.js';
import { sudoLines } from './sudo-report.js';


/** What the target says it is, as indented lines (the banner one line per line it has). */
function identityLines(h: HostReport): string[] {
  const id = h.identity;
  if (!id) return [];
  const out: string[] = [];
  const says = [id.hostname, id.osRelease, id.kernel].filter((x): x is string => x !== undefined);
  if (says.length > 0) out.push(`  target says: ${says.map(term).join(' · ')}`);
  if (id.sshServer !== undefined) out.push(`  ssh server: ${term(id.sshServer)}`);
  if (id.sshBanner !== undefined) {
    out.push(`  ssh banner${id.sshBannerTruncated ? ' (cut)' : ''}:`);
    for (const line of id.sshBanner.replace(/\r?\n$/, '').split(/\r?\n/)) out.push(`  | ${term(line)}`);
  }
  return out;
}

function hostLines(h: HostReport): string[] {
  const name = `${term(h.name)}${h.source === 'local' ? ' (this machine)' : ''}`;
  if (h.status !== 'done') {
    const where = h.stoppedIn !== null ? ` while ${h.stoppedIn}` : '';
    const why = h.error && h.status !== 'cancelled' ? ` — ${h.error.code}: ${term(h.error.message)}` : '';
    return [`\n${name}: ${h.status.toUpperCase()}${where}${why}`, ...identityLines(h)];
  }
  const c = h.counts ?? {};
  return [
    `\n${name}: score ${h.score ?? '-'}  pass ${c.pass ?? 0}  fail ${c.fail ?? 0}  manual ${c.manual ?? 0}  ` +
      `n/a ${c.not_applicable ?? 0}  error ${c.error ?? 0}${c.waived ? `  waived ${c.waived}` : ''}  (privilege ${h.privilege ?? '?'})`,
    ...(h.sudoNotObtained !== null ? [`  WARNING: sudo requested but not obtained: ${term(h.sudoNotObtained)}`] : []),
    ...identityLines(h),
    ...sudoLines(h.sudo),
    ...h.results.map(
      (x) => `  ${x.verdict.padEnd(14)} ${x.severity.padEnd(8)} ${x.checkId}  ${term(x.actual)}`,
    ),
  ];
}

/** The whole report as text, ending with a newline. */
export function formatScan(r: ScanReport): string {
  return `${[`scan ${r.scanId}: ${r.outcome}`, ...r.hosts.flatMap(hostLines)].join('\n')}\n`;
}

/** Human-readable output. */
export function printScan(r: ScanReport): void {
  process.stdout.write(formatScan(r));
}
