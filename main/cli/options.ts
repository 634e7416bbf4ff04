/** Small helpers shared by the CLI commands: secrets from files or the environment, check selection, output. */
import { readFileSync } from 'node:fs';
import type { Check } from '../../shared/checks/schema.js';
import { FoureyesError } from '../../shared/model/errors.js';
import type { Catalogue } from '../catalogue/load.js';
import { printScan, type ScanReport } from './report.js';

/** A secret from `file` (one trailing newline dropped) or the environment variable `env`; never from argv. */
export function secretFrom(file: string | undefined, env: string): string | undefined {
  if (file) {
    try {
      return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (e) {
      throw new FoureyesError('bad_input', `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? ''})`);
    }
  }
  return process.env[env] || undefined;
}

/** The checks named by `--checks a,b` (all when absent). */
export function pickChecks(cat: Catalogue, list?: string, within?: readonly Check[]): Check[] {
  const from = within ?? cat.checks;
  if (!list) return [...from];
  const inFrom = new Set(from.map((c) => c.id));
  return list.split(',').map((id) => {
    const c = cat.byId.get(id.trim());
    if (!c) throw new FoureyesError('bad_input', `--checks: unknown check id "${id}"`);
    if (!inFrom.has(c.id)) throw new FoureyesError('bad_input', `--checks: ${c.id} is not run by the profile given`);
    return c;
  });
}

/** Prints a report as JSON (exact) or for a person. */
export function output(report: ScanReport, json: unknown): void {
  if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else printScan(report);
}
