import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FactDef } from '../../../shared/facts/registry.js';
import { newBoundary } from '../../../main/collector/script.js';
import { ALL_BYTES, PRINT_ALL_BYTES, openTempDir, registryWith } from './helpers.js';
import type { FactRegistry } from '../../../main/collector/protocol.js';

/** File names that break naive shell code, as raw bytes (one is not valid UTF-8). */
export const HOSTILE_NAMES: Buffer[] = [
  'plain',
  'with space',
  'new\nline',
  '-leading',
  '*',
  '$(id)',
  "q'uote",
  'tab\tname',
  'back\\slash',
  '--',
].map((s) => Buffer.from(s));
HOSTILE_NAMES.push(Buffer.from([0x66, 0xff, 0xfe, 0x2e, 0x63]));

/** A temp tree plus test facts over it. The boundary is fixed so fragments can try to forge it. */
export interface Fixture {
  root: string;
  hostileDir: string;
  boundary: string;
  registry: FactRegistry;
  ids: string[];
  /** Bytes of each hostile file, by name (latin1 key of the raw name). */
  hostileContent: Map<string, Buffer>;
  binFile: Buffer;
  binCmdStdout: Buffer;
  binCmdStderr: Buffer;
  cleanup(): void;
}

export function makeFixture(): Fixture {
  const root = openTempDir('fe-coll-');
  const boundary = newBoundary();
  const hostileDir = join(root, "hostile dir 'q");
  mkdirSync(hostileDir, { mode: 0o755 });
  const hostileContent = new Map<string, Buffer>();
  HOSTILE_NAMES.forEach((name, i) => {
    const body = Buffer.concat([Buffer.from(`file ${i}\n${boundary} done\n`), ALL_BYTES.subarray(i * 7, i * 7 + 40)]);
    writeFileSync(Buffer.concat([Buffer.from(hostileDir + '/'), name]), body);
    hostileContent.set(name.toString('latin1'), body);
  });
  mkdirSync(join(hostileDir, 'sub'));

  const binFile = Buffer.concat([ALL_BYTES, Buffer.from(`\n${boundary} done\n${boundary} end test.bin_file 0\n\x1b[2J`)]);
  writeFileSync(join(root, 'bin.dat'), binFile);
  writeFileSync(join(root, 'big.txt'), 'x'.repeat(5000));
  mkdirSync(join(root, 'locked'));
  writeFileSync(join(root, 'locked', 'secret.conf'), 'secret\n');
  chmodSync(join(root, 'locked'), 0o700);
  writeFileSync(join(root, 'noread.conf'), 'root only\n', { mode: 0o600 });
  // Searchable but not listable: a known name can be read, a glob cannot be expanded.
  mkdirSync(join(root, 'xonly'));
  writeFileSync(join(root, 'xonly', 'known.conf'), 'known\n', { mode: 0o644 });
  chmodSync(join(root, 'xonly'), 0o711);

  const forged = `printf '\\n%s done\\n%s end test.bin_cmd 0\\n%s begin host.id command\\n' ${boundary} ${boundary} ${boundary}`;
  const binCmdStdout = Buffer.concat([
    ALL_BYTES,
    Buffer.from(`\n${boundary} done\n${boundary} end test.bin_cmd 0\n${boundary} begin host.id command\n`),
  ]);
  const binCmdStderr = Buffer.from('e\x00rr\x1b[2J\xff', 'latin1');

  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const extra: Record<string, FactDef> = {
    'test.bin_file': { kind: 'file', path: join(root, 'bin.dat'), maxBytes: 4096, description: 'binary file' },
    'test.big_file': { kind: 'file', path: join(root, 'big.txt'), maxBytes: 1000, description: 'over the cap' },
    'test.absent': { kind: 'file', path: join(root, 'nope', 'none.conf'), maxBytes: 100, description: 'absent' },
    'test.hostile': { kind: 'fileset', patterns: [`${hostileDir}/*`], maxBytes: 1024, maxFiles: 64, description: 'hostile names' },
    'test.capped_set': { kind: 'fileset', patterns: [`${hostileDir}/*`], maxBytes: 16, maxFiles: 3, description: 'capped' },
    'test.literal_set': {
      kind: 'fileset',
      patterns: [`${hostileDir}/with space`, `${hostileDir}/none-such`, `${root}/nope/*.conf`],
      maxBytes: 64,
      maxFiles: 8,
      description: 'literal paths',
    },
    'test.locked_set': { kind: 'fileset', patterns: [`${root}/locked/*`], maxBytes: 64, maxFiles: 8, description: 'locked dir' },
    'test.locked_file': { kind: 'file', path: join(root, 'locked', 'secret.conf'), maxBytes: 64, description: 'in a locked dir' },
    'test.xonly_set': { kind: 'fileset', patterns: [`${root}/xonly/*`, `${root}/xonly/known.conf`], maxBytes: 64, maxFiles: 8, description: 'x-only dir' },
    'test.noread': { kind: 'file', path: join(root, 'noread.conf'), maxBytes: 64, description: 'mode 0600' },
    'test.bin_cmd': {
      kind: 'command',
      script: `${PRINT_ALL_BYTES}; ${forged}; printf 'e\\000rr\\033[2J\\377' >&2; exit 7`,
      requires: [],
      maxBytes: 4096,
      description: 'binary output',
    },
    'test.missing_cmd': { kind: 'command', script: 'echo never', requires: ['no-such-tool-fe', '/nonexistent/fe-tool'], maxBytes: 100, description: 'missing' },
    'test.abs_cmd': { kind: 'command', script: 'echo ok', requires: ['no-such-tool-fe', '/bin/sh'], maxBytes: 100, description: 'absolute requires' },
    'test.runaway': { kind: 'command', script: 'yes', requires: ['yes'], maxBytes: 1000, description: 'endless output' },
    'test.runaway_err': { kind: 'command', script: 'yes e >&2', requires: ['yes'], maxBytes: 1000, description: 'endless stderr' },
    'test.syntax': { kind: 'command', script: 'if then ( fi', requires: [], maxBytes: 100, description: 'syntax error' },
    'test.stdin': { kind: 'command', script: 'cat; echo "rc=$?"', requires: ['cat'], maxBytes: 100, description: 'stdin is /dev/null' },
    'test.tools': { kind: 'command', script: 'for t in stat head base64 sha256sum od; do command -v $t; done', requires: [], maxBytes: 4096, description: 'which tools' },
    'test.quotes': { kind: 'command', script: `printf '%s\\n' ${q(`it's "quoted" $HOME \`x\``)}`, requires: [], maxBytes: 100, description: 'quoting' },
  };
  const ids = ['accounts.passwd', 'accounts.group', 'files.critical_perms', 'accounts.shadow', ...Object.keys(extra)];
  return {
    root,
    hostileDir,
    boundary,
    registry: registryWith(extra),
    ids,
    hostileContent,
    binFile,
    binCmdStdout,
    binCmdStderr,
    cleanup: () => {
      chmodSync(join(root, 'locked'), 0o755);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
