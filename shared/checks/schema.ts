/**
 * The check schema. A check is data: one YAML file per family/area under main/catalogue/checks/, each file a list
 * of checks. The loader (main/catalogue/load.ts) validates every check with `CheckSchema` at load time and adds
 * what a schema alone cannot know (evaluator names and parameters, facts read by the rule).
 */
import { z } from 'zod';
import { isFactId, type FactId } from '../facts/registry.js';
import { FAMILIES, SEVERITIES, type Family, type Severity } from '../model/results.js';
import { PLATFORMS, RuleSchema, unknownFactMessage, type Platform, type Rule } from './rules.js';

export * from './rules.js';

/** Areas group checks in reports and filters. Free to extend; kebab-case. */
export const KNOWN_AREAS = [
  'sshd',
  'accounts',
  'password-policy',
  'sudo',
  'services',
  'filesystem',
  'firewall',
  'sysctl',
  'audit',
  'logging',
  'central-auth',
  'time',
  'cron',
] as const;

/** Stable slug: lower-case words joined by `-`, starting with a letter. Never a benchmark section number. */
export const CHECK_ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export interface CheckReferences {
  /** Benchmark section ids (CIS-style, as strings, e.g. "5.2.10"). References only, never ids. */
  cis?: string[];
  /** NIST SP 800-53 control ids (e.g. "AC-6(2)"). */
  nist_800_53?: string[];
  /** Other frameworks, keyed by a short framework name. */
  [framework: string]: string[] | undefined;
}

export interface Remediation {
  /** What to change, in prose, including the impact of the change. */
  text: string;
  /** A POSIX shell fragment that applies the change (run by an administrator, never by Foureyes). */
  shell?: string;
  /** One Ansible task, as a YAML string. */
  ansible?: string;
}

/** One check, as validated and normalised by the loader. */
export interface Check {
  /** Stable slug id, kebab-case (`sshd-permit-root-login`). Renaming one breaks history: don't. */
  id: string;
  /** Short title stating the desired state ("SSH root login is disabled"). */
  title: string;
  /** hardening | aaa | drift. */
  family: Family;
  /** Functional area (sshd, accounts, sudo, ...). */
  area: string;
  /** Impact when the check fails. */
  severity: Severity;
  /** Why the desired state matters, for the report. */
  rationale: string;
  /** References keyed by framework. */
  references: CheckReferences;
  /** Platforms the check applies to; all by default. Other hosts get `not_applicable`. */
  platforms: Platform[];
  /** Fact ids the check reads (declared plus those the rule reads; filled by the loader). */
  facts: FactId[];
  /** The declarative rule deciding the verdict. */
  rule: Rule;
  /** How to fix a failure. */
  remediation: Remediation;
}

const text = (max: number) => z.string().trim().min(1).max(max);

const ReferencesSchema = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_]*$/, 'framework key expected (snake_case)'),
    z.array(z.string().min(1).max(64)).max(64),
  )
  .default({});

const RemediationSchema = z.strictObject({
  text: text(8000),
  shell: text(16000).optional(),
  ansible: text(16000).optional(),
});

/** Schema of one check as written in a catalogue file. */
export const CheckSchema = z.strictObject({
  id: z
    .string()
    .max(100)
    .regex(CHECK_ID_PATTERN, 'kebab-case slug expected (e.g. sshd-permit-root-login), not a section number'),
  title: text(200),
  family: z.enum(FAMILIES),
  area: z.string().max(64).regex(CHECK_ID_PATTERN, 'kebab-case area expected'),
  severity: z.enum(SEVERITIES),
  rationale: text(4000),
  references: ReferencesSchema,
  platforms: z
    .array(z.enum(PLATFORMS))
    .min(1)
    .default([...PLATFORMS]),
  facts: z
    .array(z.string().refine(isFactId, { error: unknownFactMessage }))
    .max(64)
    .default([]),
  rule: RuleSchema,
  remediation: RemediationSchema,
});

/** A catalogue file: a list of checks. */
export const CheckFileSchema = z.array(z.unknown()).max(1000);

/** Parse result of CheckSchema before the loader adds the facts read by the rule. */
export type CheckInput = z.input<typeof CheckSchema>;
