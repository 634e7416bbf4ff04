#!/usr/bin/env node
// `npm test`: type check, lint, unit tests, what the package contains, the lab tests against real sshd hosts in
// network namespaces, then the end-to-end tests in Chromium.
// The lab needs root (it creates namespaces); without root it is reported as not run and the run fails in CI,
// because CI must prove the integration tests, and is skipped with a clear line on a developer's machine.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const ci = process.env.CI === 'true';

function step(name, cmd, args) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    console.error(`=== ${name} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

// The compiled services and CLI bundle that bin/foureyes.js and bin/start.js run (tests run the user's commands).
step('build', 'npm', ['run', 'build:main', '--silent']);
process.env.FOUREYES_TEST_BUILT = '1';
step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.test.json', '--noEmit']);
step('typecheck renderer', 'npx', ['tsc', '-p', 'tsconfig.web.json', '--noEmit']);
step('lint', 'npx', ['eslint', '.']);
step('unit', 'npx', ['vitest', 'run', '--project', 'unit']);
// Packaging: npm run build and electron-builder --linux dir in a temporary copy, against a stand-in Electron.
step('package', 'npx', ['vitest', 'run', '--project', 'package']);
if (isRoot) {
  step('lab', 'npx', ['vitest', 'run', '--project', 'lab']);
} else if (ci) {
  console.error('=== lab: CI must run as root (the lab creates network namespaces)');
  process.exit(1);
} else {
  console.log('\n=== lab: skipped (needs root to create the test hosts); run `sudo npm test` for the integration tests');
}

// End-to-end: the built renderer in Debian's Chromium against the real backend (and the lab, when root).
const chromium = process.env.FOUREYES_CHROMIUM ?? '/usr/bin/chromium';
if (existsSync(chromium)) {
  step('e2e', 'npx', ['playwright', 'test']);
} else if (ci) {
  console.error(`=== e2e: CI needs ${chromium} (apt-get install chromium)`);
  process.exit(1);
} else {
  console.log(`\n=== e2e: skipped (${chromium} not found; apt-get install chromium)`);
}
