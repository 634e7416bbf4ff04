/** `foureyes assess`: scan hosts over SSH (or this machine) and store the scan in the workspace. */
import { deadlineSentence, MAX_DEADLINE_SECONDS } from '../../../shared/api/schemas/scans.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import { severityRank, type Severity } from '../../../shared/model/results.js';
import { loadCatalogueQuick } from '../../catalogue/catalogue.js';
import type { ScanJob } from '../../scan/runner.js';
import { startStoredScan } from '../../services/assessment.js';
import type { SecretProvider } from '../../transport/types.js';
import { output, pickChecks, secretFrom } from '../options.js';
import { sudoPasswords } from '../sudo-passwords.js';
import { promptingSecrets } from '../prompt.js';
import { scanReport } from '../report.js';
import { jobFromSpec, jobsFromInventory, knownHostsFiles } from '../targets.js';
import { cliEngagementId, openForWriting } from '../workspace.js';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];

export async function assess(hosts: string[], o: Record<string, unknown>): Promise<number> {
  const failOn = o.failOn as string | undefined;
  if (failOn && !SEVERITIES.includes(failOn))
    throw new FoureyesError('bad_input', `--fail-on must be one of ${SEVERITIES.join(', ')}`);
  const conc = o.concurrency === undefined ? 8 : Number(o.concurrency);
  if (!Number.isInteger(conc) || conc < 1 || conc > 256)
    throw new FoureyesError('bad_input', '--concurrency must be an integer from 1 to 256');
  const deadline = o.deadline === undefined ? 300 : Number(o.deadline);
  if (!Number.isInteger(deadline) || deadline < 1 || deadline > MAX_DEADLINE_SECONDS)
    throw new FoureyesError('bad_input', `--deadline: ${deadlineSentence(String(o.deadline))}`);
  const passphrase = secretFrom(o.passphraseFile as string | undefined, 'FOUREYES_PASSPHRASE');
  const password = secretFrom(o.passwordFile as string | undefined, 'FOUREYES_PASSWORD');
  const topts = {
    ...(o.identity ? { identity: o.identity as string } : {}),
    knownHosts: o.knownHosts as string[],
    acceptNew: Boolean(o.acceptNew),
    ...(o.pin ? { pin: o.pin as string } : {}),
    ...(o.jump ? { jump: o.jump as string } : {}),
    ...(o.sshConfig ? { sshConfig: o.sshConfig as string } : {}),
    sudo: Boolean(o.sudo),
    password: password !== undefined,
  };
  const jobs: ScanJob[] = [];
  if (o.local) jobs.push({ name: 'localhost', target: { kind: 'local', name: 'localhost' } });
  if (o.inventory) for (const j of await jobsFromInventory(o.inventory as string, topts)) jobs.push(j);
  for (const h of hosts) jobs.push(jobFromSpec(h, topts));
  if (!jobs.length) throw new FoureyesError('bad_input', 'no hosts: give user@host, an alias, --inventory or --local');
  const sudo = sudoPasswords(jobs, {
    sudo: Boolean(o.sudo),
    ...(o.sudoPasswordFile ? { file: o.sudoPasswordFile as string } : {}),
    perHost: (o.sudoPasswordFor as string[] | undefined) ?? [],
    same: Boolean(o.sameSudoPassword),
  });
  const cat = await loadCatalogueQuick();
  const checks = pickChecks(cat, o.checks as string | undefined);
  // File or environment first; otherwise asked on the terminal (never argv).
  const secrets: SecretProvider = promptingSecrets(sudo, {
    ...(passphrase !== undefined ? { passphrase } : {}),
    ...(password !== undefined ? { password } : {}),
  });
  const ws = openForWriting(o.workspace as string | undefined);
  try {
    const ac = new AbortController();
    process.once('SIGINT', () => ac.abort());
    // accept-new keys are appended, like ssh does, to the first known_hosts file read (given, or ~/.ssh/known_hosts).
    const recordFile = topts.acceptNew ? knownHostsFiles(topts)[0] : undefined;
    const { scan, summary, broken } = await startStoredScan(ws, {
      engagementId: cliEngagementId(ws),
      catalogue: cat,
      checks,
      hosts: jobs.map((job) => ({ job })),
      concurrency: conc,
      deadlineSeconds: deadline,
      secrets,
      signal: ac.signal,
      ...(recordFile !== undefined ? { sshOptions: { knownHostsRecordFile: recordFile } } : {}),
    }).done;
    if (broken) throw new FoureyesError('internal', `scan ${scan.id} stopped: ${broken.message}`);
    const report = scanReport(ws, scan.id, cat);
    output(report, o.json);
    if (failOn) {
      const bad = report.hosts.some((h) =>
        h.results.some((r) => r.verdict === 'fail' && severityRank(r.severity) >= severityRank(failOn as Severity)),
      );
      if (bad) return 1;
    }
    // A host that did not get the sudo it was asked to use is not a clean run either.
    const short = report.hosts.some((h) => h.sudoNotObtained !== null);
    return summary.failed.length || summary.cancelled.length || short ? 2 : 0;
  } finally {
    ws.close();
  }
}
