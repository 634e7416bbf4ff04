// Builds the services and the renderer once before the suite, so every test runs the same bundle a user gets. With
// FOUREYES_RENDERER_DIR set, the build goes there and the backend serves it from there (see backend.ts).
import { spawnSync } from 'node:child_process';
import { ensureBuilt } from '../support/build.js';

export default function globalSetup(): void {
  // The backend (bin/start.js) runs the compiled services in dist/.
  ensureBuilt();
  if (process.env.FOUREYES_E2E_SKIP_BUILD === '1') return;
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`renderer build failed (exit ${r.status ?? r.signal})`);
}
