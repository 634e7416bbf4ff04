/**
 * Scenarios: small fact snapshots written as data beside a check (`scenarios: { pass: [...], fail: [...] }`), each
 * with the verdict the check must give on it. The shape is the one the engine tests build snapshots from
 * (main/catalogue/scenario.ts): a Debian 12 root scan with only host.* facts, plus the facts a scenario lists.
 */
import { z } from 'zod';
import { isFactId } from '../facts/registry.js';
import { unknownFactMessage } from './rules.js';

const factKey = z.string().refine(isFactId, { error: unknownFactMessage });

export const FileSpecSchema = z.strictObject({
  content: z
    .string()
    .max(256 * 1024)
    .optional(),
  mode: z.union([z.number().int().min(0).max(0o7777), z.string().regex(/^0?[0-7]{3,4}$/)]).optional(),
  user: z.string().min(1).max(64).optional(),
  group: z.string().min(1).max(64).optional(),
  type: z.enum(['file', 'dir', 'link', 'other']).optional(),
  /** Content unreadable (permission denied). */
  denied: z.boolean().optional(),
});
export type FileSpec = z.infer<typeof FileSpecSchema>;

export const CmdSpecSchema = z.strictObject({
  stdout: z
    .string()
    .max(1024 * 1024)
    .optional(),
  exitCode: z.number().int().nullable().optional(),
  stderr: z
    .string()
    .max(64 * 1024)
    .optional(),
  problem: z.enum(['denied', 'missing', 'timeout', 'error']).optional(),
});
export type CmdSpec = z.infer<typeof CmdSpecSchema>;

const fileOrText = z.union([z.string().max(256 * 1024), FileSpecSchema]);

export const OS_NAMES = ['debian', 'ubuntu', 'rhel', 'alpine', 'none'] as const;

export const ScenarioSchema = z.strictObject({
  /** What the scenario shows (appears in the test name). */
  name: z.string().trim().min(1).max(200).optional(),
  os: z.enum(OS_NAMES).optional(),
  /** Collector ran as root (default true). */
  privileged: z.boolean().optional(),
  /** File facts by fact id: content, a spec, or null (the file does not exist). */
  files: z.partialRecord(factKey, z.union([fileOrText, z.null()])).optional(),
  /** Fileset facts by fact id, then path. */
  sets: z.partialRecord(factKey, z.record(z.string().min(1).max(4096), fileOrText)).optional(),
  /** Command facts by fact id: stdout, or a spec. */
  cmds: z.partialRecord(factKey, z.union([z.string().max(1024 * 1024), CmdSpecSchema])).optional(),
  /** Paths facts by fact id: the names. */
  paths: z.partialRecord(factKey, z.array(z.string().max(4096)).max(10000)).optional(),
  /** The consultant's answer to an attestation check (none: not answered). */
  answer: z
    .strictObject({ answer: z.enum(['yes', 'no', 'not_applicable']), note: z.string().max(1000).default('') })
    .optional(),
});
export type Scenario = z.infer<typeof ScenarioSchema> & {
  /** Raw facts for special cases (problems, malformed facts); TypeScript fixtures only. */
  raw?: Record<string, unknown>;
};

/** A check's scenarios by the verdict each must give. */
export const CheckScenariosSchema = z.strictObject({
  pass: z.array(ScenarioSchema).max(50).optional(),
  fail: z.array(ScenarioSchema).max(50).optional(),
  not_applicable: z.array(ScenarioSchema).max(50).optional(),
});
export type CheckScenarios = z.infer<typeof CheckScenariosSchema>;
export const SCENARIO_VERDICTS = ['pass', 'fail', 'not_applicable'] as const;
