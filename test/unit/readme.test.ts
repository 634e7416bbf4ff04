/**
 * The README's set-up is what CI runs: its first command installs the same Debian packages as .ci/run (so `npm test`
 * right after it finds every tool), then `npm ci && npm start`; its second is `npm test`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Package names of every `apt-get install` in `text` (continuation lines joined, options dropped). */
function aptPackages(text: string): string[] {
  const joined = text.replace(/\\\n/g, ' ');
  const names = new Set<string>();
  for (const m of joined.matchAll(/apt-get install([^;&|>\n]*)/g))
    for (const w of m[1]!.trim().split(/\s+/)) if (w && !w.startsWith('-')) names.add(w);
  return [...names].sort();
}

const readme = readFileSync('README.md', 'utf8');
const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

describe('README set-up', () => {
  it('installs the packages .ci/run installs, then npm ci && npm start; then npm test', () => {
    const lines = firstBlock.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(aptPackages(lines[0]!)).toEqual(aptPackages(readFileSync('.ci/run', 'utf8')));
    expect(aptPackages(lines[0]!).length).toBeGreaterThan(5);
    expect(lines[0]).toMatch(/&& npm ci && npm start$/);
    expect(lines[1]).toBe('npm test');
  });

  it('documents FOUREYES_WORKSPACE before the first section', () => {
    expect(readme.slice(0, readme.indexOf('\n## '))).toContain('FOUREYES_WORKSPACE');
  });
});
