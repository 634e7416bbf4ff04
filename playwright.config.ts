// End-to-end tests: the real renderer (renderer/dist, built once in global setup) in Debian's Chromium, against the
// real backend in browser mode (bin/start.js with its own temporary workspace per worker) and the test lab.
// Never downloads a browser: the executable is /usr/bin/chromium (override with FOUREYES_CHROMIUM).
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './test/e2e/global-setup.ts',
  outputDir: 'test-results/e2e',
  // One worker, one backend; the lab is shared, so files run one after another on this 2-core machine.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      executablePath: process.env.FOUREYES_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
