// Writes the V8 code cache of the command line's bundle (index.cjs.cache beside it; see bin/cli-bundle.js).
//
// The cache is taken after a warm-up run in this process, so it holds the functions compiled while commands ran, not
// only the bundle's top level: help and version, the collector script, an `assess` of one host through the
// catalogue, a new workspace, the runner and ssh2's client up to a connection that a local listener closes at once
// (no target is reached; loopback only), and an `import` of a recorded collector output (build/warmup/), which
// takes the parser, every evaluator the catalogue uses, the findings and the store through a whole host. Without
// that last run, each `assess` compiled those functions anew after its collection, while the user waits.
// Everything the warm-up writes is thrown away with its temporary directory.
//
// build/warmup/collector-output.txt is the output of `foureyes collector` run as root on the lab's `careless` host
// (test/lab; its accounts and configuration are the lab's own inventions). A collector format the parser no longer
// reads fails the warm-up below, and with it the build: record it again from the lab
// (`foureyes collector > c.sh`, then `ssh root@<careless> sh -s < c.sh > build/warmup/collector-output.txt`).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheFileBytes, cacheFileOf, loadBundle } from '../bin/cli-bundle.js';

const RECORDED = fileURLToPath(new URL('./warmup/collector-output.txt', import.meta.url));

/** A loopback port whose connections are closed as soon as they are accepted. */
async function closingListener() {
  const server = createServer((s) => s.destroy());
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return server;
}

/** Runs `fn` with this process's stdout and stderr discarded. */
async function quietly(fn) {
  const out = process.stdout.write;
  const err = process.stderr.write;
  const drop = (_chunk, enc, cb) => {
    (typeof enc === 'function' ? enc : cb)?.();
    return true;
  };
  process.stdout.write = drop;
  process.stderr.write = drop;
  try {
    return await fn();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** Loads `bundle`, runs the warm-up through its `main` and writes the cache beside it. Returns the cache's path. */
export async function writeCodeCache(bundle) {
  const { exports, script } = loadBundle(bundle, { useCache: false });
  const dir = mkdtempSync(path.join(tmpdir(), 'foureyes-code-cache-'));
  const server = await closingListener();
  try {
    const f = (name, text) => {
      const p = path.join(dir, name);
      writeFileSync(p, text, { mode: 0o600 });
      return p;
    };
    const common = ['--known-hosts', f('known_hosts', ''), '-F', f('ssh_config', ''), '--workspace', path.join(dir, 'ws.sqlite')];
    const runs = [
      ['--version'],
      ['--help'],
      ['assess', '--help'],
      ['collector'],
      ['assess', `warmup@127.0.0.1:${server.address().port}`, '--password-file', f('password', 'x\n'), ...common, '--json'],
      ['assess', `warmup@127.0.0.1:${server.address().port}`, '--password-file', path.join(dir, 'password'), ...common],
      ['import', RECORDED, '--name', 'warmup', '--workspace', path.join(dir, 'ws.sqlite'), '--json'],
    ];
    const codes = await quietly(async () => {
      const c = [];
      for (const argv of runs) c.push(await exports.main(argv));
      return c;
    });
    // --version, --help, assess --help, collector: 0; the assess runs: 2 (the host failed, as it must here); the
    // import: 0.
    const expected = [0, 0, 0, 0, 2, 2, 0];
    if (codes.join() !== expected.join())
      throw new Error(`code cache warm-up: exit codes ${codes.join(', ')}, expected ${expected.join(', ')}`);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const file = cacheFileOf(bundle);
  writeFileSync(file, cacheFileBytes(readFileSync(bundle), script.createCachedData()));
  return file;
}
