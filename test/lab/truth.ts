/**
 * The lab truth (truth/*.yaml): the verdict each catalogue check must give on each lab host, written by hand from
 * the hosts' configuration. `base.yaml` holds the version and the older checks; each further file holds the
 * truth of one family of checks (the same keys, each optional), so that families grow apart. A check given twice
 * is an error. `loadTruth()` validates the files, resolves the checks that follow the machine's own
 * kernel (kernel.* and fs.* sysctls and the kernel command line are not namespaced) and, for an unprivileged
 * scan, turns root-only checks into `manual`.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { VERDICTS, type Verdict } from '../../shared/model/results.js';

export const TRUTH_DIR = join(dirname(fileURLToPath(import.meta.url)), 'truth');

const CHECK_ID = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
const Condition = z.strictObject({
  key: z.string().regex(/^(kernel|fs)\.[a-z_.]+$/),
  op: z.enum(['eq', 'gte', 'lte']),
  value: z.number().int(),
});
/** A parameter of the machine's kernel command line (/proc/cmdline): `param=value`, any occurrence. */
const CmdlineCondition = z.strictObject({
  param: z.string().regex(/^[a-z0-9_.-]+$/),
  op: z.enum(['eq', 'gte']),
  value: z.string().min(1),
});
const TruthSchema = z.strictObject({
  version: z.literal(1),
  machine_kernel: z.record(CHECK_ID, z.array(Condition).min(1)).default({}),
  machine_cmdline: z.record(CHECK_ID, z.array(CmdlineCondition).min(1)).default({}),
  unprivileged: z.strictObject({ manual: z.array(CHECK_ID) }).default({ manual: [] }),
  hosts: z
    .record(z.string().regex(/^[a-z]+$/), z.record(CHECK_ID, z.enum([...VERDICTS, 'machine'])))
    .default({}),
});

export type TruthFile = z.infer<typeof TruthSchema>;

function readOne(path: string): TruthFile {
  const parsed = TruthSchema.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`invalid lab truth ${path}: ${i?.path.join('.') ?? ''}: ${i?.message ?? ''}`);
  }
  return parsed.data;
}

function mergeInto(into: TruthFile, t: TruthFile, file: string): void {
  const twice = (what: string) => {
    throw new Error(`lab truth ${file}: ${what} is already given in another truth file`);
  };
  for (const [id, conds] of Object.entries(t.machine_kernel)) {
    if (into.machine_kernel[id]) twice(`machine_kernel.${id}`);
    into.machine_kernel[id] = conds;
  }
  for (const [id, conds] of Object.entries(t.machine_cmdline)) {
    if (into.machine_cmdline[id] || into.machine_kernel[id]) twice(`machine_cmdline.${id}`);
    into.machine_cmdline[id] = conds;
  }
  for (const id of t.unprivileged.manual) {
    if (into.unprivileged.manual.includes(id)) twice(`unprivileged.manual ${id}`);
    into.unprivileged.manual.push(id);
  }
  for (const [host, checks] of Object.entries(t.hosts)) {
    const h = (into.hosts[host] ??= {});
    for (const [id, v] of Object.entries(checks)) {
      if (id in h) twice(`${host}.${id}`);
      h[id] = v;
    }
  }
}
export type MachineCondition = z.infer<typeof Condition>;
export type CmdlineCondition = z.infer<typeof CmdlineCondition>;

/** Reads, validates and merges the truth files as written (nothing resolved). */
export function readTruthFile(dir: string = TRUTH_DIR): TruthFile {
  const t: TruthFile = { version: 1, machine_kernel: {}, machine_cmdline: {}, unprivileged: { manual: [] }, hosts: {} };
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  if (!files.includes('base.yaml')) throw new Error(`lab truth: ${dir} has no base.yaml`);
  for (const f of files) mergeInto(t, readOne(join(dir, f)), join(dir, f));
  for (const [host, checks] of Object.entries(t.hosts))
    for (const [id, v] of Object.entries(checks))
      if (v === 'machine' && !t.machine_kernel[id] && !t.machine_cmdline[id])
        throw new Error(`lab truth: ${host}.${id} is 'machine' but neither machine_kernel nor machine_cmdline has ${id}`);
  return t;
}

/** The machine's value of a kernel parameter (e.g. kernel.kptr_restrict), from /proc/sys. */
export function machineSysctl(key: string): number {
  const file = `/proc/sys/${key.replace(/\./g, '/')}`;
  // A key this kernel lacks (kernel.yama.* without Yama) holds no condition: the check's `missing: fail`.
  if (!existsSync(file)) return Number.NaN;
  const raw = readFileSync(file, 'utf8').trim();
  const n = Number(raw);
  if (!Number.isInteger(n))
    throw new Error(`/proc/sys value of ${key} is not an integer: ${raw.slice(0, 40)}`);
  return n;
}

/** The machine's kernel command line (/proc/cmdline), which the lab hosts share. */
export function machineCmdline(): string {
  return existsSync('/proc/cmdline') ? readFileSync('/proc/cmdline', 'utf8').trim() : '';
}

/** Some `param=value` word of the command line satisfies the condition (gte: numerically). */
function cmdlineHolds(c: CmdlineCondition, cmdline: string): boolean {
  return cmdline
    .split(/\s+/)
    .filter((w) => w.startsWith(`${c.param}=`))
    .map((w) => w.slice(c.param.length + 1))
    .some((v) => (c.op === 'eq' ? v === c.value : /^[0-9]+$/.test(v) && Number(v) >= Number(c.value)));
}

function holds(c: MachineCondition, actual: number): boolean {
  if (c.op === 'eq') return actual === c.value;
  if (c.op === 'gte') return actual >= c.value;
  return actual <= c.value;
}

export interface TruthOptions {
  /** Verdicts of a scan with root (default) or without. */
  privileged?: boolean;
  /** Reads a machine kernel parameter (default: /proc/sys of this machine, which the lab hosts share). */
  sysctl?: (key: string) => number;
  /** The machine's kernel command line (default: /proc/cmdline of this machine). */
  cmdline?: () => string;
  /** The truth directory (default test/lab/truth). */
  dir?: string;
}

/** Expected verdicts: host name -> check id -> verdict. */
export function loadTruth(opts: TruthOptions = {}): Map<string, Map<string, Verdict>> {
  const t = readTruthFile(opts.dir);
  const sysctl = opts.sysctl ?? machineSysctl;
  const machine = new Map<string, Verdict>();
  for (const [id, conds] of Object.entries(t.machine_kernel))
    machine.set(id, conds.every((c) => holds(c, sysctl(c.key))) ? 'pass' : 'fail');
  const cmdline = (opts.cmdline ?? machineCmdline)();
  for (const [id, conds] of Object.entries(t.machine_cmdline))
    machine.set(id, conds.every((c) => cmdlineHolds(c, cmdline)) ? 'pass' : 'fail');
  const manual = new Set(opts.privileged === false ? t.unprivileged.manual : []);
  const out = new Map<string, Map<string, Verdict>>();
  for (const [host, checks] of Object.entries(t.hosts)) {
    const m = new Map<string, Verdict>();
    for (const [id, v] of Object.entries(checks))
      m.set(id, manual.has(id) ? 'manual' : v === 'machine' ? (machine.get(id) as Verdict) : v);
    out.set(host, m);
  }
  return out;
}
