/**
 * `foureyes assess`: scan hosts over SSH (or this machine) and store the scan in the workspace.
 *
 * Start-up order: the options, the hosts and the checks are read first (anything refused is refused before a
 * connection is opened); then the SSH set-up of the first hosts (as many as run at once) starts, and only then are
 * the workspace and the scan's own modules loaded and opened (assess-scan.ts), while the targets answer.
 */
import { deadlineSentence, MAX_DEADLINE_SECONDS } from '../../../shared/api/deadline.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import { EXPORT_FORMATS, isExportFormat, type ExportFormat } from '../../export/formats.js';
import type { Severity } from '../../../shared/model/results.js';
import { loadCatalogueQuick } from '../../catalogue/catalogue.js';
import type { ScanJob } from '../../scan/runner.js';
import { SshTransport, type SshTransportOptions } from '../../transport/ssh.js';
import type { SecretProvider } from '../../transport/types.js';
import { pickChecks, secretFrom } from '../options.js';
import { sudoPasswords } from '../sudo-passwords.js';
import { promptingSecrets } from '../prompt.js';
import { jobFromSpec, jobsFromInventory, knownHostsFiles } from '../targets.js';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];

/**
 * Starts the SSH set-up of the first `count` jobs (the runner's first round); `take` hands a job's transport to the
 * runner once, `close` ends those it never took. Names given twice start nothing: the scan refuses them.
 */
function startConnections(jobs: readonly ScanJob[], count: number, secrets: SecretProvider, opts: SshTransportOptions) {
  const started = new Map<string, SshTransport>();
  const dialing: Promise<void>[] = [];
  if (new Set(jobs.map((j) => j.name)).size === jobs.length)
    for (const j of jobs.slice(0, count)) {
      if (j.target.kind !== 'ssh') continue;
      const t = new SshTransport(j.target.target, secrets, opts);
      dialing.push(t.prepare());
      started.set(j.name, t);
    }
  return {
    /** Resolves once each set-up waits on the network (its key and known_hosts read) or has ended. */
    dialed: Promise.all(dialing),
    take(job: ScanJob): SshTransport | undefined {
      const t = started.get(job.name);
      started.delete(job.name);
      return t;
    },
    async close(): Promise<void> {
      await Promise.all([...started.values()].map((t) => t.close().catch(() => undefined)));
      started.clear();
    },
  };
}

export async function assess(hosts: string[], o: Record<string, unknown>): Promise<number> {
  const failOn = o.failOn as Severity | undefined;
  if (failOn && !SEVERITIES.includes(failOn))
    throw new FoureyesError('bad_input', `--fail-on must be one of ${SEVERITIES.join(', ')}`);
  const format = o.format as string | undefined;
  if (format !== undefined && !isExportFormat(format))
    throw new FoureyesError('bad_input', `--format must be one of ${EXPORT_FORMATS.join(', ')}`);
  if (format !== undefined && o.json) throw new FoureyesError('bad_input', 'give --json or --format, not both');
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
  const full = await loadCatalogueQuick((o.pack as string[] | undefined) ?? []);
  // A profile (an id, or a file with a user's tailoring) chooses the checks and may tailor them; --checks narrows.
  const chosen =
    typeof o.profile === 'string'
      ? (await import('../../catalogue/profiles.js')).chooseProfile(o.profile, full)
      : undefined;
  const cat = chosen ? chosen.catalogue : full;
  const checks = pickChecks(cat, o.checks as string | undefined, chosen?.checks);
  // Who runs the scan, unlocked before any host is contacted (a wrong passphrase opens no connection).
  const acting =
    typeof o.as === 'string'
      ? await (await import('../scan-acting.js')).scanActing(
          o.workspace as string | undefined,
          o.as,
          o.personPassphraseFile as string | undefined,
        )
      : undefined;
  // File or environment first; otherwise asked on the terminal (never argv).
  const secrets: SecretProvider = promptingSecrets(sudo, {
    ...(passphrase !== undefined ? { passphrase } : {}),
    ...(password !== undefined ? { password } : {}),
  });
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  // accept-new keys are appended, like ssh does, to the first known_hosts file read (given, or ~/.ssh/known_hosts).
  const recordFile = topts.acceptNew ? knownHostsFiles(topts)[0] : undefined;
  const sshOptions: SshTransportOptions = recordFile !== undefined ? { knownHostsRecordFile: recordFile } : {};
  const connections = startConnections(jobs, conc, secrets, { ...sshOptions, signal: ac.signal });
  try {
    // The modules loaded next take this thread for a while: the connections are first let reach the network.
    await connections.dialed;
    const { assessScan } = await import('./assess-scan.js');
    return await assessScan({
      jobs,
      catalogue: cat,
      checks,
      ...(chosen ? { profile: chosen.resolved } : {}),
      concurrency: conc,
      deadlineSeconds: deadline,
      ...(failOn ? { failOn } : {}),
      json: o.json,
      ...(format !== undefined ? { format: format as ExportFormat } : {}),
      ...(o.workspace !== undefined ? { workspace: o.workspace as string } : {}),
      secrets,
      sshOptions,
      signal: ac.signal,
      started: (job) => connections.take(job),
      ...(acting ? { acting } : {}),
    });
  } finally {
    await connections.close();
  }
}
