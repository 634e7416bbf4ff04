/**
 * The lab truth (truth.yaml): the verdict each catalogue check must give on each lab host, written by hand from
 * the hosts' configuration. `loadTruth()` validates the file, resolves the checks that follow the machine's own
 * kernel (kernel.* and fs.* sysctls are not namespaced) and, for an unprivileged scan, turns root-only checks
 * into `manual`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { VERDICTS, type Verdict } from '../../shared/model/results.js';

export const TRUTH_FILE = join(dirname(fileURLToPath(import.meta.url)), 'truth.yaml');

const CHECK_ID = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
const Condition = z.strictObject({
  key: z.string().regex(/^(kernel|fs)\.[a-z_.]+$/),
  op: z.enum(['eq', 'gte', 'lte']),
  value: z.number().int(),
});
const TruthSchema = z.strictObject({
  version: z.literal(1),
  machine_kernel: z.record(CHECK_ID, z.array(Condition).min(1)),
  unprivileged: z.strictObject({ manual: z.array(CHECK_ID) }),
  hosts: z.record(z.string().regex(/^[a-z]+$/), z.record(CHECK_ID, z.enum([...VERDICTS, 'machine']))),
});

export type TruthFile = z.infer<typeof TruthSchema>;
export type MachineCondition = z.infer<typeof Condition>;

/** Reads and validates truth.yaml as written (nothing resolved). */
export function readTruthFile(path: string = TRUTH_FILE): TruthFile {
  const parsed = TruthSchema.safeParse(parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`invalid lab truth ${path}: ${i?.path.join('.') ?? ''}: ${i?.message ?? ''}`);
  }
  const t = parsed.data;
  for (const [host, checks] of Object.entries(t.hosts))
    for (const [id, v] of Object.entries(checks))
      if (v === 'machine' && !t.machine_kernel[id])
        throw new Error(`lab truth: ${host}.${id} is 'machine' but machine_kernel has no ${id}`);
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
  path?: string;
}

/** Expected verdicts: host name -> check id -> verdict. */
export function loadTruth(opts: TruthOptions = {}): Map<string, Map<string, Verdict>> {
  const t = readTruthFile(opts.path);
  const sysctl = opts.sysctl ?? machineSysctl;
  const machine = new Map<string, Verdict>();
  for (const [id, conds] of Object.entries(t.machine_kernel))
    machine.set(id, conds.every((c) => holds(c, sysctl(c.key))) ? 'pass' : 'fail');
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
