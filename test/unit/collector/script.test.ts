import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALWAYS_COLLECTED, FACTS } from '../../../shared/facts/registry.js';
import { buildCollectorScript, newBoundary, shQuote } from '../../../main/collector/script.js';
import { missingTool, registryWith } from './helpers.js';

const full = buildCollectorScript(Object.keys(FACTS));
/** Lines that the shell executes (comments dropped). */
const codeLines = full.script.split('\n').filter((l) => !/^\s*#/.test(l));

describe('buildCollectorScript', () => {
  it('uses a fresh 128-bit hex boundary per run', () => {
    const seen = new Set(Array.from({ length: 200 }, () => buildCollectorScript([]).boundary));
    expect(seen.size).toBe(200);
    for (const b of seen) expect(b).toMatch(/^[0-9a-f]{32}$/);
    expect(newBoundary()).not.toBe(newBoundary());
  });

  it('always collects the host identity first, without repeats', () => {
    const s = buildCollectorScript(['accounts.passwd', 'host.id', 'accounts.passwd']);
    expect(s.factIds).toEqual([...ALWAYS_COLLECTED, 'accounts.passwd']);
    expect(s.script).toContain(`foureyes-collector 1 %s %s\\n' "$B" "$E" '${s.factIds.join(',')}'`);
  });

  it('rejects unknown fact ids and malformed boundaries', () => {
    expect(() => buildCollectorScript(['no.such'])).toThrow(expect.objectContaining({ code: 'bad_input' }));
    expect(() => buildCollectorScript([], { boundary: 'XYZ' })).toThrow(expect.objectContaining({ code: 'bad_input' }));
    expect(() => buildCollectorScript([], { boundary: 'ab'.repeat(8) })).toThrow(expect.objectContaining({ code: 'bad_input' }));
    expect(() => buildCollectorScript([], { commandTimeoutSec: -1 })).toThrow(expect.objectContaining({ code: 'bad_input' }));
  });

  it('keeps descriptions inside comments', () => {
    const registry = registryWith({
      'test.desc': { kind: 'file', path: '/x', maxBytes: 1, description: 'one\nrm -rf /tmp/never\r\ntwo' },
    });
    const s = buildCollectorScript(['test.desc'], { registry });
    expect(s.script.split('\n').filter((l) => l.includes('rm -rf'))).toEqual(['#   test.desc: one rm -rf /tmp/never two']);
  });
});

describe('the generated script text is read-only', () => {
  it('redirects output only to /dev/null or to an open descriptor', () => {
    const bad: string[] = [];
    for (const l of codeLines) {
      for (const m of l.matchAll(/>+/g)) {
        const after = l.slice((m.index ?? 0) + m[0].length);
        if (m[0] !== '>' || !/^(\/dev\/null\b|&[0-9-])/.test(after)) bad.push(l.trim());
      }
    }
    expect(bad).toEqual([]);
  });

  it('calls no command that writes, and does not stop on the first error', () => {
    const writers = /(^|[\s;|&(`])(mktemp|tee|touch|mkdir|rmdir|rm|cp|mv|dd|ln|install|chmod|chown|chgrp|truncate|mkfifo|mknod|shred|sync|sed\s+-i|patch|tar|cpio)(?=[\s;|&)]|$)/;
    expect(codeLines.filter((l) => writers.test(l))).toEqual([]);
    expect(codeLines.filter((l) => /\bset\s+-[a-z]*e/.test(l))).toEqual([]);
    // No shell `exec`; find's `-exec` (the walk) runs only our sh scripts of find and printf.
    expect(codeLines.filter((l) => /(^|[^-\w])exec\b/.test(l))).toEqual([]);
    const walkExecs = codeLines.flatMap((l) => [...l.matchAll(/-exec (\S+ \S+)/g)].map((m) => m[1]));
    expect(walkExecs.length).toBeGreaterThan(0);
    expect(new Set(walkExecs)).toEqual(new Set(['sh -c']));
  });

  for (const shell of [['dash'], ['bash'], ['busybox', 'sh']]) {
    const missing = missingTool(shell[0]!);
    it.skipIf(missing !== undefined)(`parses under ${shell.join(' ')} (sh -n)${missing ? ` (skipped: ${missing})` : ''}`, () => {
      const [cmd = 'sh', ...args] = shell;
      expect(() => execFileSync(cmd, [...args, '-n'], { input: full.script, stdio: ['pipe', 'ignore', 'pipe'] }), cmd).not.toThrow();
    });
  }

  it('defines each shell function once (a second definition would replace the first)', () => {
    const names = [...full.script.matchAll(/^(_[A-Za-z0-9_]+)\(\) \{$/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('is plain ASCII', () => {
    const odd = [...full.script].filter((c) => c !== '\t' && c !== '\n' && (c < ' ' || c > '~'));
    expect(odd).toEqual([]);
  });
});

describe('shQuote', () => {
  it('round-trips any string without NUL through sh', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0') && Buffer.from(s, 'utf8').toString('utf8') === s), { maxLength: 40 }), (words) => {
        const out = execFileSync('sh', ['-c', `printf '%s\\0' ${words.map(shQuote).join(' ')}`], { env: { LC_ALL: 'C.UTF-8' } });
        const got = words.length === 0 ? [''] : out.toString('utf8').split('\0').slice(0, -1);
        expect(got).toEqual(words.length === 0 ? [''] : words);
      }),
      { numRuns: 40 },
    );
  });
});
