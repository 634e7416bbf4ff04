/** The `foureyes` command line: assess, collector, import, results. */
import { readFileSync } from 'node:fs';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { Command } from 'commander';
import type { Check } from '../../shared/checks/schema.js';
import { FoureyesError, isFoureyesError } from '../../shared/model/errors.js';
import { severityRank, type Severity } from '../../shared/model/results.js';
import { factsNeeded, loadCatalogue, type Catalogue } from '../catalogue/load.js';
import { readCollectorOutputFile } from '../collector/import.js';
import { buildCollectorScript } from '../collector/script.js';
import { evaluateAll } from '../engine/evaluate.js';
import { runScan, type ScanJob } from '../engine/runner.js';
import { createStoreSink } from '../engine/store-sink.js';
import { openWorkspace, type Workspace } from '../store/db.js';
import type { SecretProvider } from '../transport/types.js';
import { promptingSecrets } from './prompt.js';
import { printScan, scanReport } from './report.js';
import { jobFromSpec, jobsFromInventory, knownHostsFiles } from './targets.js';

const DEFAULT_WS = `${homedir()}/.local/share/foureyes/workspace.sqlite`;
const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];

function secretFrom(file: string | undefined, env: string): string | undefined {
  if (file) {
    try {
      return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (e) {
      throw new FoureyesError('bad_input', `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? ''})`);
    }
  }
  return process.env[env] || undefined;
}

function pickChecks(cat: Catalogue, list?: string): Check[] {
  if (!list) return cat.checks;
  return list.split(',').map((id) => {
    const c = cat.byId.get(id.trim());
    if (!c) throw new FoureyesError('bad_input', `--checks: unknown check id "${id}"`);
    return c;
  });
}

function workspace(path: string | undefined): Workspace {
  const p = path ?? DEFAULT_WS;
  mkdirSync(dirname(p), { recursive: true });
  return openWorkspace(p);
}

function engagementId(ws: Workspace): string {
  const e = ws.engagements.list().find((x) => x.name === 'Command line');
  return (e ?? ws.engagements.create({ name: 'Command line' })).id;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

async function assess(hosts: string[], o: Record<string, unknown>): Promise<number> {
  const failOn = o.failOn as string | undefined;
  if (failOn && !SEVERITIES.includes(failOn))
    throw new FoureyesError('bad_input', `--fail-on must be one of ${SEVERITIES.join(', ')}`);
  const conc = o.concurrency === undefined ? 8 : Number(o.concurrency);
  if (!Number.isInteger(conc) || conc < 1 || conc > 256)
    throw new FoureyesError('bad_input', '--concurrency must be an integer from 1 to 256');
  const sudoPw = secretFrom(o.sudoPasswordFile as string | undefined, 'FOUREYES_SUDO_PASSWORD');
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
  if (o.inventory) jobs.push(...jobsFromInventory(o.inventory as string, topts));
  for (const h of hosts) jobs.push(jobFromSpec(h, topts));
  if (!jobs.length) throw new FoureyesError('bad_input', 'no hosts: give user@host, an alias, --inventory or --local');
  const cat = loadCatalogue();
  const checks = pickChecks(cat, o.checks as string | undefined);
  // File or environment first; otherwise asked on the terminal (never argv).
  const secrets: SecretProvider = promptingSecrets({
    ...(sudoPw !== undefined ? { sudo: sudoPw } : {}),
    ...(passphrase !== undefined ? { passphrase } : {}),
    ...(password !== undefined ? { password } : {}),
  });
  const ws = workspace(o.workspace as string | undefined);
  try {
    const sink = createStoreSink(ws, {
      engagementId: engagementId(ws),
      catalogue: cat,
      checks,
      hosts: jobs.map((j) => ({ name: j.name, source: j.target.kind })),
    });
    const ac = new AbortController();
    process.once('SIGINT', () => ac.abort());
    // accept-new keys are appended, like ssh does, to the first known_hosts file read (given, or ~/.ssh/known_hosts).
    const recordFile = topts.acceptNew ? knownHostsFiles(topts)[0] : undefined;
    const summary = await runScan({
      jobs,
      checks,
      concurrency: conc,
      sink,
      secrets,
      signal: ac.signal,
      ...(recordFile !== undefined ? { sshOptions: { knownHostsRecordFile: recordFile } } : {}),
    });
    sink.finish(ac.signal.aborted ? 'cancelled' : 'done');
    const report = scanReport(ws, sink.scan.id, cat);
    if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else printScan(report);
    if (failOn) {
      const bad = report.hosts.some((h) =>
        h.results.some((r) => r.verdict === 'fail' && severityRank(r.severity) >= severityRank(failOn as Severity)),
      );
      if (bad) return 1;
    }
    return summary.failed.length || summary.cancelled.length ? 2 : 0;
  } finally {
    ws.close();
  }
}

async function importFile(file: string, o: Record<string, unknown>): Promise<number> {
  const snapshot = await readCollectorOutputFile(file);
  const cat = loadCatalogue();
  const checks = cat.checks;
  const name = (o.name as string | undefined) ?? file;
  const ws = workspace(o.workspace as string | undefined);
  try {
    const sink = createStoreSink(ws, {
      engagementId: engagementId(ws),
      catalogue: cat,
      checks,
      hosts: [{ name, source: 'import' }],
    });
    const results = evaluateAll(snapshot, checks);
    const stats = { connections: 0, execChannels: 0, bytesIn: 0, bytesOut: 0, durationsMs: {} };
    sink.hostDone(name, snapshot, results, stats, 'none');
    sink.finish();
    const report = scanReport(ws, sink.scan.id, cat);
    if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else printScan(report);
    return 0;
  } finally {
    ws.close();
  }
}

function results(scanId: string | undefined, o: Record<string, unknown>): number {
  const ws = workspace(o.workspace as string | undefined);
  try {
    const cat = loadCatalogue();
    let id = scanId;
    if (!id) {
      const scans = ws.scans.listScans(engagementId(ws));
      id = scans[0]?.id;
      if (!id) throw new FoureyesError('not_found', 'the workspace has no scan yet');
    }
    const report = scanReport(ws, id, cat);
    if (o.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else printScan(report);
    return 0;
  } finally {
    ws.close();
  }
}

/** Builds the program; `run` parses argv and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = new Command('foureyes').description('Read-only SSH hardening and AAA assessments').exitOverride()
    .configureOutput({ outputError: (str, write) => write(`foureyes: ${str.replace(/^error: /, '')}`) });
  program
    .command('assess [hosts...]')
    .description('assess hosts (user@host[:port] or ssh_config alias)')
    .option('--inventory <file>', 'inventory file (.csv, .yml, .yaml, .ini)')
    .option('--local', 'assess this machine')
    .option('-i, --identity <file>', 'private key')
    .option('--known-hosts <file>', 'known_hosts file (repeatable)', collect, [])
    .option('--accept-new', 'accept a host key never seen before')
    .option('--pin <fingerprint>', 'pinned host key fingerprint (SHA256:...)')
    .option('-J, --jump <spec>', 'jump hosts, a,b')
    .option('-F, --ssh-config <file>', 'ssh client configuration')
    .option('--sudo', 'use sudo (with a password if given)')
    .option('--sudo-password-file <file>', 'sudo password file (or FOUREYES_SUDO_PASSWORD)')
    .option('--passphrase-file <file>', 'key passphrase file (or FOUREYES_PASSPHRASE)')
    .option('--password-file <file>', 'login password file (or FOUREYES_PASSWORD)')
    .option('--workspace <file>', 'workspace file', DEFAULT_WS)
    .option('--json', 'JSON output')
    .option('--fail-on <severity>', 'exit 1 when a failing result at or above this severity exists')
    .option('--concurrency <n>', 'hosts at once', '8')
    .option('--checks <ids>', 'comma-separated check ids')
    .action(async (hosts: string[], o: Record<string, unknown>) => void (code = await assess(hosts, o)));
  program
    .command('collector')
    .description('print the collector script')
    .option('--checks <ids>', 'comma-separated check ids')
    .option('-o, --output <file>', 'write to a file')
    .action((o: { checks?: string; output?: string }) => {
      const cat = loadCatalogue();
      const script = buildCollectorScript(factsNeeded(pickChecks(cat, o.checks))).script;
      if (o.output) writeFileSync(o.output, script, { mode: 0o644 });
      else process.stdout.write(script);
    });
  program
    .command('import <file>')
    .description('evaluate and store collector output')
    .option('--json', 'JSON output')
    .option('--workspace <file>', 'workspace file', DEFAULT_WS)
    .option('--name <name>', 'host name')
    .action(async (file: string, o: Record<string, unknown>) => void (code = await importFile(file, o)));
  program
    .command('results [scanId]')
    .description('show a stored scan (latest if no id)')
    .option('--json', 'JSON output')
    .option('--workspace <file>', 'workspace file', DEFAULT_WS)
    .action((id: string | undefined, o: Record<string, unknown>) => void (code = results(id, o)));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof Error && 'exitCode' in e && (e as { code?: string }).code?.startsWith('commander.')) {
      const c = (e as { exitCode: number }).exitCode;
      return c === 0 ? 0 : 2;
    }
    if (isFoureyesError(e)) {
      process.stderr.write(`foureyes: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  return code;
}

process.exitCode = await main(process.argv.slice(2));
