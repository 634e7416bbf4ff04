/** A named pure evaluator: the escape hatch for rules too complex to declare. */
import type { z } from 'zod';
import type { FactId } from '../../../shared/facts/registry.js';
import type { EvalContext } from '../context.js';
import type { Outcome } from '../outcome.js';

export interface EvaluatorDef<P = unknown> {
  name: string;
  /** One line for catalogue authors. */
  description: string;
  /** Parameters as written under `params:` in the catalogue; validated at load time. */
  params: z.ZodType<P>;
  /** Facts the evaluator may read (collected for any check using it). */
  facts: FactId[];
  /** The facts one use reads, from its parameters (validated); default `facts`. */
  factsOf?: (params: P) => FactId[];
  /** Pure: reads facts only through ctx, no I/O, no clock. May throw FactUnavailable. */
  run(ctx: EvalContext, params: P): Outcome;
}

/** Identity helper keeping the parameter type of each definition. */
export function defineEvaluator<P>(def: EvaluatorDef<P>): EvaluatorDef<P> {
  return def;
}
