/**
 * Tests that run the commands a user runs (bin/foureyes.js, bin/start.js) run the compiled build in dist/, so they
 * build it first: `npm run build:main` (incremental, a few seconds when nothing changed). `npm test` builds once
 * before every step and sets FOUREYES_TEST_BUILT=1, which skips this.
 */
import { spawnSync } from 'node:child_process';

let built = false;

export function ensureBuilt(): void {
  if (built || process.env.FOUREYES_TEST_BUILT === '1') return;
  const r = spawnSync('npm', ['run', 'build:main', '--silent'], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`npm run build:main failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  built = true;
}
