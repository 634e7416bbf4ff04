#!/usr/bin/env node
// `npm test`: type check, lint, unit tests, then the lab tests against real sshd hosts in network namespaces.
// The lab needs root (it creates namespaces); without root it is reported as not run and the run fails in CI,
// because CI must prove the integration tests, and is skipped with a clear line on a developer's machine.
import { spawnSync } from 'node:child_process';

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

step('typecheck', 'npx', ['tsc', '-p', 'tsconfig.test.json', '--noEmit']);
step('lint', 'npx', ['eslint', '.']);
step('unit', 'npx', ['vitest', 'run', '--project', 'unit']);
if (isRoot) {
  step('lab', 'npx', ['vitest', 'run', '--project', 'lab']);
} else if (ci) {
  console.error('=== lab: CI must run as root (the lab creates network namespaces)');
  process.exit(1);
} else {
  console.log('\n=== lab: skipped (needs root to create the test hosts); run `sudo npm test` for the integration tests');
}
