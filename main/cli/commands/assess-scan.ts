/**
 * The part of `foureyes assess` that runs once the hosts are known and their SSH set-up has started (assess.ts):
 * the workspace, the stored scan, the runner and the report. Loaded only then, so that its modules (SQLite, the
 * store's schemas, the engine) are evaluated while the first connections are under way.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Check } from '../../../shared/checks/schema.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import { severityRank, type Severity } from '../../../shared/model/results.js';
import type { Catalogue } from '../../catalogue/catalogue.js';
import type { ResolvedProfile } from '../../catalogue/profiles.js';
import type { ExportFormat } from '../../export/formats.js';
import type { Acting } from '../../people/acting.js';
import { defaultTransport, type ScanJob } from '../../scan/runner.js';
import { startStoredScan } from '../../services/assessment.js';
import type { SshTransportOptions } from '../../transport/ssh.js';
import type { SecretProvider, Transport } from '../../transport/types.js';
import { output } from '../options.js';
import { scanReport } from '../report.js';
import { waiversNow } from '../waivers-now.js';
import { cliEngagementId, openForWriting } from '../workspace.js';

export interface AssessScan {
  jobs: ScanJob[];
  catalogue: Catalogue;
  checks: Check[];
  /** The profile that chose and tailored the checks (stored with the scan). */
  profile?: ResolvedProfile;
  concurrency: number;
  deadlineSeconds: number;
  failOn?: Severity;
  json: unknown;
  /** Write the scan in this format to stdout instead of the report (main/export/, loaded only then). */
  format?: ExportFormat;
  workspace?: string;
  secrets: SecretProvider;
  sshOptions: SshTransportOptions;
  signal: AbortSignal;
  /** The transport of a host whose set-up has already started, if any. */
  started(job: ScanJob): Transport | undefined;
  /** Who runs the scan (--as): its start, findings and end are then recorded in the trail, signed by them. */
  acting?: Acting;
}

/** Runs the scan, stores it, prints the report; resolves to the exit code. */
export async function assessScan(a: AssessScan): Promise<number> {
  // Each step below is some milliseconds of work on this thread: between them the connections get their turn.
  await nextTurn();
  const ws = openForWriting(a.workspace);
  try {
    await nextTurn();
    const { scan, summary, broken } = await startStoredScan(ws, {
      engagementId: cliEngagementId(ws),
      catalogue: a.catalogue,
      checks: a.checks,
      ...(a.profile ? { profile: a.profile } : {}),
      hosts: a.jobs.map((job) => ({ job })),
      concurrency: a.concurrency,
      deadlineSeconds: a.deadlineSeconds,
      secrets: a.secrets,
      signal: a.signal,
      sshOptions: a.sshOptions,
      openTransport: (job) => a.started(job) ?? defaultTransport(job, a.secrets, a.sshOptions),
      ...(a.acting ? { acting: a.acting } : {}),
    }).done;
    if (broken) throw new FoureyesError('internal', `scan ${scan.id} stopped: ${broken.message}`);
    const report = scanReport(ws, scan.id, a.catalogue, waiversNow(ws));
    if (a.format !== undefined) {
      const [{ exportScan }, { exportTool }] = await Promise.all([import('../../export/index.js'), import('./export.js')]);
      process.stdout.write(exportScan(ws, a.format, scan.id, a.catalogue, { tool: exportTool() }));
    } else output(report, a.json);
    const failOn = a.failOn;
    if (failOn) {
      const bad = report.hosts.some((h) => h.results.some((r) => r.verdict === 'fail' && severityRank(r.severity) >= severityRank(failOn)));
      if (bad) return 1;
    }
    // A host that did not get the sudo it was asked to use is not a clean run either.
    const short = report.hosts.some((h) => h.sudoNotObtained !== null);
    return summary.failed.length || summary.cancelled.length || short ? 2 : 0;
  } finally {
    ws.close();
  }
}
