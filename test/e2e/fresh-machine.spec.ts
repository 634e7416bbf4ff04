/**
 * The README's first command as a new user meets it: `npm start` with a fresh HOME and no FOUREYES_WORKSPACE (the
 * default workspace under ~/.local/share/foureyes, created private), the URL it prints opened in Chromium, and the
 * ready "This machine" engagement one Start away from a scan. Also when the command line created the workspace
 * first.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { continueAsIs } from './fixtures.js';
import { EngagementsPage } from './pages/EngagementsPage.js';
import { ScanPage } from './pages/ScanPage.js';

/** The environment of a new user: a fresh HOME and none of Foureyes' variables. */
function freshEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  for (const k of Object.keys(env)) if (k.startsWith('FOUREYES_') || k === 'XDG_DATA_HOME') delete env[k];
  return env;
}

/** Runs `npm start` as the README says; resolves to the URL it prints and a stop function. */
async function npmStart(env: NodeJS.ProcessEnv): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn('npm', ['start'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  const exited = new Promise((r) => child.once('exit', r));
  const stop = async () => {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    await exited;
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`npm start printed no URL in 150 s:\n${out}`)), 150_000);
      const take = (d: Buffer) => {
        out += d.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{20,})/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(m[1]!);
        }
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      child.once('exit', (code) => {
        clearTimeout(t);
        reject(new Error(`npm start exited with ${code} before printing a URL:\n${out}`));
      });
    });
    return { url, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function expectLocalEngagementReady(page: Page, url: string): Promise<void> {
  const origin = new URL(url).origin;
  const foreign: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) foreign.push(r.url());
  });
  await page.goto(url);
  await continueAsIs(page);
  const engagements = new EngagementsPage(page);
  await expect(engagements.screen).toBeVisible();
  await engagements.open('This machine');
  const scan = new ScanPage(page);
  await scan.goto();
  await expect(scan.hostRow('localhost').getByTestId('scan-host-check')).toBeChecked();
  await expect(scan.startButton).toBeEnabled();
  expect(foreign).toEqual([]);
}

test.describe('a fresh machine', () => {
  test.setTimeout(240_000);
  let home: string;
  test.beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'foureyes-home-'));
  });
  test.afterEach(() => rmSync(home, { recursive: true, force: true }));

  test('npm start with a fresh HOME creates a private default workspace and offers This machine', async ({ page }) => {
    const app = await npmStart(freshEnv(home));
    try {
      await expectLocalEngagementReady(page, app.url);
    } finally {
      await app.stop();
    }
    const dir = path.join(home, '.local', 'share', 'foureyes');
    expect((statSync(dir).mode & 0o777).toString(8)).toBe('700');
    expect((statSync(path.join(dir, 'workspace.sqlite')).mode & 0o777).toString(8)).toBe('600');
  });

  test('This machine is there too when the command line created the workspace first', async ({ page }) => {
    const env = freshEnv(home);
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['bin/foureyes.js', ...args], { env, encoding: 'utf8', timeout: 60_000 });
    // A read-only command on a machine without a workspace creates nothing and names the path.
    const none = cli('results');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain(path.join(home, '.local', 'share', 'foureyes', 'workspace.sqlite'));
    expect(spawnSync('ls', ['-A', home], { encoding: 'utf8' }).stdout.trim()).toBe('');
    // An air-gapped import: collector run by hand, its output imported (creates the workspace, "Command line").
    const script = cli('collector', '--checks', 'sshd-permit-root-login');
    expect(script.status).toBe(0);
    const out = spawnSync('sh', ['-s'], { input: script.stdout, encoding: 'utf8', timeout: 60_000 });
    const file = path.join(home, 'out.txt');
    writeFileSync(file, out.stdout);
    const imported = cli('import', file, '--name', 'airgapped', '--json');
    expect(imported.status, imported.stderr).toBe(0);

    const app = await npmStart(env);
    try {
      await expectLocalEngagementReady(page, app.url);
      await new EngagementsPage(page).goto();
      await expect(new EngagementsPage(page).row('Command line')).toHaveCount(1);
    } finally {
      await app.stop();
    }
  });
});
