/**
 * `npm run bench -- cli`: the real CLI (`node bin/foureyes.js assess … --json`, start-up included) against plain
 * OpenSSH running cli-reference.sh (the same facts, no framing), on the lab's hosts only, in the same run.
 *
 * - one host: root@careless (root may log in there, so both sides run one `sh -s` as root, no sudo);
 * - 20 hosts: 20 inventory entries with distinct names over careless, partial, hardened and hostile as the auditor,
 *   one `assess --inventory` (concurrency 8, its default) against 20 ssh processes, 8 at a time. The reference gets
 *   the privilege assess ends up with on each host: `sudo -n` where sudo needs no password, with a terminal
 *   (`ssh -tt`) where sudo requires one (hardened), unprivileged where sudo wants a password (partial).
 *
 * Each round runs both sides of both sizes, alternating which goes first; medians of BENCH_CLI_ROUNDS (default 5,
 * at least 5) and ratios of those medians. The goals (one host <= 1.5x, 20 hosts <= 1.2x; the collector for the
 * whole catalogue run by plain OpenSSH <= 1.3x the reference, on the same host) are shown met or not met; the bench
 * never fails on them. Every process has a deadline; every address comes from the lab manifest.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureLab, labHost, type LabHost, type LabManifest } from '../lab/lab.js';
import { REFERENCE_FILE, referenceScript } from './cli-reference.js';
import { factsNeeded, loadCatalogue } from '../../main/catalogue/load.js';
import { buildCollectorScript } from '../../main/collector/script.js';

const ROUNDS = Math.min(15, Math.max(5, Number(process.env.BENCH_CLI_ROUNDS ?? 5)));
const MANY = 20;
const POOL = 8;
/** Deadline of one process (one assess of 20 hosts included). */
const DEADLINE_MS = 180_000;
const GOALS = { one: 1.5, many: 1.2, collector: 1.3 } as const;
const BIN = join(process.cwd(), 'bin', 'foureyes.js');

interface Run {
  ms: number;
  code: number | null;
  /** Bytes written to stdout (read and dropped unless kept). */
  bytes: number;
  stdout: string;
  stderr: string;
}

/** Runs a process to its end (or its deadline), stdin from `input` or /dev/null; stdout kept only when asked. */
function run(cmd: string, args: string[], opts: { input?: string; keepStdout?: boolean } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd, args, { stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let bytes = 0;
    const timer = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS);
    child.stdout!.on('data', (d: Buffer) => {
      bytes += d.length;
      if (opts.keepStdout) stdout += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - start, code, bytes, stdout, stderr: stderr.slice(0, 4096) });
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
  });
}

interface Side {
  label: string;
  go(): Promise<Run>;
  /** Why this run does not count ('' when it does). */
  check(r: Run): string;
}

function sshArgs(m: LabManifest, h: LabHost, user: string, tty: boolean): string[] {
  return [
    '-F', '/dev/null',
    '-i', m.keys.private,
    '-o', 'IdentitiesOnly=yes',
    '-o', 'IdentityAgent=none',
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${m.knownHosts}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'ConnectTimeout=10',
    '-o', 'ServerAliveInterval=5',
    '-o', 'ServerAliveCountMax=3',
    '-o', 'ControlMaster=no',
    '-o', 'ControlPath=none',
    '-p', String(h.port),
    ...(tty ? ['-tt'] : ['-T']),
    `${user}@${h.address}`,
  ];
}

/** The reference on one host, with the privilege assess would have there. */
function reference(m: LabManifest, h: LabHost, user: string, script: string): Promise<Run> {
  if (user === 'root' || h.sudo === 'password') return run('ssh', [...sshArgs(m, h, user, false), 'sh -s'], { input: script });
  if (h.requiretty) {
    const quoted = `'${script.replace(/'/g, `'\\''`)}'`;
    return run('ssh', [...sshArgs(m, h, user, true), `sudo -n sh -c ${quoted}`]);
  }
  return run('ssh', [...sshArgs(m, h, user, false), 'sudo -n sh -s'], { input: script });
}

async function pool<T>(items: readonly T[], size: number, fn: (t: T) => Promise<Run>): Promise<Run[]> {
  const out: Run[] = [];
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (i < items.length) out.push(await fn(items[i++]!));
    }),
  );
  return out;
}

/** Privilege per host of the last assess report read, e.g. "root 10, sudo 5" (shown beside the figures). */
const privileges = new Map<string, string>();

/** Whether an assess run assessed every host (exit 0, every host done). */
function assessProblem(r: Run, hosts: number): string {
  if (r.code !== 0) return `exit ${r.code}: ${r.stderr.trim().slice(0, 300)}`;
  try {
    const report = JSON.parse(r.stdout) as {
      hosts: { name: string; status: string; privilege: string | null; error: { message: string } | null }[];
    };
    for (const h of report.hosts) privileges.set(h.name, h.privilege ?? '?');
    const bad = report.hosts.filter((h) => h.status !== 'done');
    if (report.hosts.length !== hosts) return `${report.hosts.length} hosts in the report, ${hosts} expected`;
    if (bad.length > 0) return `${bad.length} hosts not done, e.g. ${bad[0]!.name}: ${bad[0]!.error?.message ?? bad[0]!.status}`;
  } catch {
    return 'the JSON report could not be read';
  }
  return '';
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function cliBenchMain(): Promise<void> {
  const m = await ensureLab();
  const script = referenceScript();
  const kept = existsSync(REFERENCE_FILE) ? readFileSync(REFERENCE_FILE, 'utf8') : '';
  if (kept !== script)
    console.log(
      'note: test/bench/cli-reference.sh is not what the fact registry gives now; running the generated script ' +
        '(refresh the kept copy: node --import tsx test/bench/cli-reference.ts > test/bench/cli-reference.sh)',
    );
  const dir = mkdtempSync(join(tmpdir(), 'fe-bench-cli-'));
  try {
    const ws = join(dir, 'ws.sqlite');
    const common = ['-i', m.keys.private, '--known-hosts', m.knownHosts, '--json', '--workspace', ws];
    const careless = labHost(m, 'careless');
    const names = ['careless', 'partial', 'hardened', 'hostile'] as const;
    const many = Array.from({ length: MANY }, (_v, i) => ({
      name: `${names[i % names.length]}-${String(i + 1).padStart(2, '0')}`,
      host: labHost(m, names[i % names.length]!),
    }));
    const inventory = join(dir, 'hosts.csv');
    writeFileSync(
      inventory,
      ['name,address,port,user', ...many.map((e) => `${e.name},${e.host.address},${e.host.port},${e.host.user}`)].join('\n') + '\n',
    );

    // The collector for the whole catalogue (as assess builds it for root@careless), run by plain OpenSSH like the
    // reference: the collector's own cost on the target, without the workstation's.
    const colFacts = factsNeeded(loadCatalogue().checks);
    const collector = () => buildCollectorScript(colFacts, { sudoReads: true }).script;
    const sides: Record<'one' | 'oneRef' | 'many' | 'manyRef' | 'col', Side> = {
      col: {
        label: 'ssh + collector, 1 host',
        go: () => reference(m, careless, 'root', collector()),
        check: (r) => (r.code === 0 ? '' : `ssh exit ${r.code}: ${r.stderr.trim().slice(0, 300)}`),
      },
      one: {
        label: 'foureyes assess, 1 host',
        go: () => run('node', [BIN, 'assess', `root@${careless.address}:${careless.port}`, ...common], { keepStdout: true }),
        check: (r) => assessProblem(r, 1),
      },
      oneRef: {
        label: 'ssh + reference, 1 host',
        go: () => reference(m, careless, 'root', script),
        check: (r) => (r.code === 0 ? '' : `ssh exit ${r.code}: ${r.stderr.trim().slice(0, 300)}`),
      },
      many: {
        label: `foureyes assess --inventory, ${MANY} hosts`,
        go: () =>
          run('node', [BIN, 'assess', '--inventory', inventory, '--concurrency', String(POOL), ...common], {
            keepStdout: true,
          }),
        check: (r) => assessProblem(r, MANY),
      },
      manyRef: {
        label: `${MANY} x ssh + reference, ${POOL} at a time`,
        go: async () => {
          const start = performance.now();
          const runs = await pool(many, POOL, (e) => reference(m, e.host, e.host.user, script));
          const bad = runs.find((r) => r.code !== 0);
          const bytes = runs.reduce((n, r) => n + r.bytes, 0);
          return { ms: performance.now() - start, code: bad ? bad.code : 0, bytes, stdout: '', stderr: bad?.stderr ?? '' };
        },
        check: (r) => (r.code === 0 ? '' : `an ssh exited ${r.code}: ${r.stderr.trim().slice(0, 300)}`),
      },
    };

    // One unmeasured round: the workspace is created, the targets' caches are warm for both sides alike.
    for (const s of Object.values(sides)) {
      const problem = s.check(await s.go());
      if (problem) throw new Error(`${s.label}: ${problem}`);
    }
    const ms: Record<keyof typeof sides, number[]> = { one: [], oneRef: [], many: [], manyRef: [], col: [] };
    const bytes: Record<keyof typeof sides, number> = { one: 0, oneRef: 0, many: 0, manyRef: 0, col: 0 };
    for (let r = 0; r < ROUNDS; r++) {
      const order: (keyof typeof sides)[] =
        r % 2 === 0 ? ['one', 'oneRef', 'col', 'many', 'manyRef'] : ['col', 'oneRef', 'one', 'manyRef', 'many'];
      for (const k of order) {
        const res = await sides[k].go();
        const problem = sides[k].check(res);
        if (problem) throw new Error(`${sides[k].label}, round ${r + 1}: ${problem}`);
        ms[k].push(res.ms);
        bytes[k] = res.bytes;
      }
    }
    const med = Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, median(v)])) as Record<keyof typeof sides, number>;
    const ratio = { one: med.one / med.oneRef, many: med.many / med.manyRef, collector: med.col / med.oneRef };
    const goal = (k: 'one' | 'many' | 'collector') => `goal <= ${GOALS[k]}x: ${ratio[k] <= GOALS[k] ? 'met' : 'NOT met'}`;
    console.log(`rounds: ${ROUNDS} (medians), deadline per process ${DEADLINE_MS / 1000} s, reference: ${script.split('\n').length} lines`);
    console.log('\ncase                                        median ms    ratio');
    const row = (k: keyof typeof sides, r: string) => console.log(`${sides[k].label.padEnd(42)} ${med[k].toFixed(0).padStart(9)}    ${r}`);
    row('one', `${ratio.one.toFixed(2)}x  (${goal('one')})`);
    row('oneRef', '1.00x');
    row('col', `${ratio.collector.toFixed(2)}x  (${goal('collector')}, the collector alone against the reference)`);
    row('many', `${ratio.many.toFixed(2)}x  (${goal('many')})`);
    row('manyRef', '1.00x');
    const byName = many.map((e) => `${e.name.replace(/-\d+$/, '')} ${privileges.get(e.name) ?? '?'}`);
    const single = [...privileges].filter(([n]) => !many.some((e) => e.name === n)).map(([n, p]) => `${n} ${p}`);
    console.log(`\nassess privilege: ${single.join(', ')}; ${MANY} hosts: ${[...new Set(byName)].join(', ')}`);
    console.log(`reference output per run: 1 host ${(bytes.oneRef / 1024).toFixed(0)} KiB, ${MANY} hosts ${(bytes.manyRef / 1024).toFixed(0)} KiB (discarded)`);
    console.log(`\nall runs (ms): ${Object.entries(ms).map(([k, v]) => `${k} ${v.map((x) => x.toFixed(0)).join('/')}`).join('; ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
