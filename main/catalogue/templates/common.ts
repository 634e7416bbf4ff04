/** What every check template shares: its interface, errors, Ansible text and small value helpers. */
import { stringify } from 'yaml';
import type { z } from 'zod';
import type { CheckScenarios, Scenario } from '../../../shared/checks/scenario.js';
import type { Scalar } from '../../../shared/checks/rules.js';

export { shQuote } from '../../collector/sh-quote.js';

/** What a template knows of the check it expands. */
export interface TemplateContext {
  id: string;
  title: string;
}

/** The fields a template writes; anything the check gives itself wins (remediation field by field). */
export interface Generated {
  rule: Record<string, unknown>;
  remediation: { text: string; impact?: string; shell?: string; ansible?: string; risky?: boolean };
  scenarios?: CheckScenarios;
  /** Platforms the generated rule is meant for, when narrower than all. */
  platforms?: string[];
}

export interface TemplateKind<P> {
  /** The `template:` name. */
  kind: string;
  /** Parameters, validated before expansion. */
  params: z.ZodType<P>;
  expand(params: P, ctx: TemplateContext): Generated;
}

/** An expansion error naming the field (`params.option`, `template`). */
export class TemplateError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Ansible tasks as YAML text (a list), each a plain object: FQCN module keys, quoting left to the YAML writer. */
export function ansibleTasks(tasks: readonly Record<string, unknown>[]): string {
  return stringify(tasks, { lineWidth: 0, singleQuote: true }).trimEnd();
}

/** A register variable name unique to the check (Ansible variables: letters, digits, `_`). */
export function registerName(id: string, suffix: string): string {
  return `foureyes_${id.replace(/-/g, '_')}_${suffix}`;
}

export function scalarText(v: Scalar): string {
  return typeof v === 'number' ? String(v) : v;
}

/** Regular-expression text matching `s` literally. */
export function reEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export function named(name: string, sc: Omit<Scenario, 'name'>): Scenario {
  return { name, ...sc };
}
