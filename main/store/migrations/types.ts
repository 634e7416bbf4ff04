import type { Db } from '../context.js';

/**
 * One schema step. `version` is its number (the file's NNNN); `up` runs inside the start-up transaction together
 * with every other pending step, so it must not open its own transaction. Steps are forward-only and frozen once
 * released: never edit one, add the next.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}
