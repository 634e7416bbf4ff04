/**
 * The fault matrix for hostile SSH servers: one scan through the real services (scan.start, the runner, the SSH
 * transport, the store) over healthy hosts and one host per fault, with a small per-host deadline. Each hostile host
 * fails alone with a clear reason (or is assessed from what it sent), within the deadline; the healthy hosts of the
 * same run complete with every result; what is stored stays within the caps; nothing collected before a fault is
 * lost. No timing is asserted: the deadline bounds the run and the outcomes are checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../../shared/api/contract.js';
import type { EventPayload } from '../../../shared/api/events.js';
import { loadCatalogue, factsNeeded } from '../../../main/catalogue/load.js';
import { outputBudget } from '../../../main/collector/collect.js';
import { buildCollectorScript } from '../../../main/collector/script.js';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TARGET_IDENTITY_LIMITS } from '../../../shared/model/identity.js';
import { makeFakeSudo } from '../ssh/fake-sudo.js';
import { CONTROL_TEXT, IDENT_CONTROLS, startHostileSsh, type Hostile, type HostileSsh } from './hostile-ssh.js';
import { CHECKS, RAW_CONTROL, faultWorkspace, type FaultWorkspace } from './scan-helpers.js';

const DEADLINE_S = 15;
const MiB = 1024 * 1024;
const catalogue = loadCatalogue();
/** The stdout cap of this selection's run (what the collector can print at most). */
const STDOUT_CAP = outputBudget(buildCollectorScript(factsNeeded(CHECKS.map((id) => catalogue.byId.get(id)!))).factIds);
const STDERR_CAP = MiB;

let fakeBin: string;
const FAULTS = (): Record<string, Hostile> => ({
  good1: { kind: 'good' },
  good2: { kind: 'good' },
  'banner-flood': { kind: 'banner-flood' },
  silent: { kind: 'silent' },
  drip: { kind: 'drip', burst: 6000, everyMs: 300 },
  'flood-stdout': { kind: 'flood-stdout', bytes: 2 * STDOUT_CAP },
  'flood-stderr': { kind: 'flood-stderr', bytes: 16 * STDERR_CAP },
  split: { kind: 'split' },
  controls: { kind: 'controls' },
  cut: { kind: 'cut', after: 9000 },
  'max-sessions-1': { kind: 'max-sessions-1', fakeBin },
});

let fw: FaultWorkspace;
const servers: Record<string, HostileSsh> = {};
let scanId: string;
let got: MethodOutput<'scan.get'>;

const run = (name: string): MethodOutput<'scan.get'>['hostRuns'][number] => got.hostRuns.find((r) => r.hostName === name)!;
const stored = (name: string) => fw.snapshot(run(name).id);
const progress = (name: string): EventPayload<'scan.progress'>[] =>
  fw.events
    .filter((e) => e.event === 'scan.progress')
    .map((e) => e.payload as EventPayload<'scan.progress'>)
    .filter((p) => p.scanId === scanId && p.host === name);

/** Every message the run stored: its error and its snapshot's issues. */
function messages(name: string): string[] {
  const r = run(name);
  return [r.error?.message ?? '', ...(stored(name)?.snapshot.issues.map((i) => i.message) ?? [])];
}

beforeAll(async () => {
  fw = await faultWorkspace('ssh');
  // MaxSessions 1 host: the login user is not root and sudo asks for a password none was given for, so the run
  // needs a second session for the unprivileged fallback, which the server refuses.
  fakeBin = path.join(fw.dir, 'bin');
  mkdirSync(fakeBin);
  writeFileSync(path.join(fakeBin, 'id'), '#!/bin/sh\n[ "$1" = -u ] && { echo 1000; exit 0; }\nexec /usr/bin/id "$@"\n', { mode: 0o755 });
  symlinkSync(makeFakeSudo(fw.dir, 'pw', { password: 'not given' }).path, path.join(fakeBin, 'sudo'));
  const faults = FAULTS();
  for (const [name, h] of Object.entries(faults)) servers[name] = await startHostileSsh(h);
  await fw.addHosts(
    Object.keys(faults).map((name) => ({ name, port: servers[name]!.port, privilege: name === 'max-sessions-1' ? 'sudo' : 'none' })),
  );
  scanId = await fw.scan(Object.keys(faults), DEADLINE_S);
  got = await fw.get(scanId);
}, 180_000);

afterAll(async () => {
  for (const s of Object.values(servers)) await s.stop();
  await fw?.close();
});

describe('fault matrix: hostile SSH servers in one scan', () => {
  it('the scan ends done; the healthy hosts of the same run complete with every result and a complete snapshot', () => {
    expect(got.scan.state).toBe('done');
    expect(got.scan.hostStates).toMatchObject({ queued: 0, connecting: 0, collecting: 0, evaluating: 0 });
    for (const name of ['good1', 'good2']) {
      const r = run(name);
      expect(r.state).toBe('done');
      expect(Object.values(r.counts).reduce((a, b) => a + b, 0)).toBe(CHECKS.length);
      expect(r.counts.error).toBe(0);
      expect(stored(name)?.complete).toBe(true);
    }
  });

  it('banner flood: fails in connecting at the deadline; the banner kept is bounded and flagged', () => {
    const r = run('banner-flood');
    expect(r).toMatchObject({ state: 'failed', stoppedIn: 'connecting', error: { code: 'timeout' } });
    expect(r.error?.message).toContain(`deadline of ${DEADLINE_S} s (stopped while connecting)`);
    expect(servers['banner-flood']!.sent.banners * 30_000).toBeGreaterThan(100 * TARGET_IDENTITY_LIMITS.sshBanner);
    expect(r.identity?.sshBanner?.length).toBe(TARGET_IDENTITY_LIMITS.sshBanner);
    expect(r.identity?.sshBannerTruncated).toBe(true);
  });

  it('silent after login: fails in collecting at the deadline, saying how long the target was silent; the wait was shown', () => {
    const r = run('silent');
    expect(r).toMatchObject({ state: 'failed', stoppedIn: 'collecting', error: { code: 'timeout' } });
    expect(r.error?.message).toMatch(/stopped while collecting; the target had sent nothing for \d+(\.\d)? s/);
    const waits = progress('silent').flatMap((p) => (p.state === 'collecting' && p.waitingSeconds !== undefined ? [p.waitingSeconds] : []));
    expect(waits.length).toBeGreaterThan(1);
    expect([...waits].sort((a, b) => a - b)).toEqual(waits);
    expect(Math.max(...waits)).toBeGreaterThanOrEqual(DEADLINE_S / 2);
  });

  it('slow drip: fails at the deadline; the facts that arrived before are kept in an incomplete snapshot', () => {
    const r = run('drip');
    expect(r).toMatchObject({ state: 'failed', stoppedIn: 'collecting', error: { code: 'timeout' } });
    const s = stored('drip');
    expect(s?.complete).toBe(false);
    expect(Object.keys(s!.snapshot.facts)).toEqual(expect.arrayContaining(['host.id', 'accounts.passwd']));
    expect(s!.snapshot.facts['accounts.passwd']).toEqual(stored('good1')!.snapshot.facts['accounts.passwd']);
    expect(s!.snapshot.issues.map((i) => i.message)).toContain(`run stopped: ${r.error!.message}`);
  });

  it('stdout flood past the cap: assessed from the facts before it; what is held stays within the cap', () => {
    const r = run('flood-stdout');
    expect(servers['flood-stdout']!.sent.junk).toBeGreaterThanOrEqual(2 * STDOUT_CAP);
    expect(r.state).toBe('done');
    expect(r.counts).toEqual(run('good1').counts);
    const s = stored('flood-stdout')!;
    expect(s.snapshot.facts).toEqual(stored('good1')!.snapshot.facts);
    expect(s.sizeRaw).toBeLessThan(stored('good1')!.sizeRaw + 64 * 1024);
    // The run kept at most the cap of what the target sent on stdout.
    expect(fw.stats(run('flood-stdout').id)?.bytesIn).toBeLessThanOrEqual(STDOUT_CAP);
  });

  it('stderr flood past the cap: assessed; the stderr kept is one bounded excerpt', () => {
    const r = run('flood-stderr');
    expect(servers['flood-stderr']!.sent.junk).toBeGreaterThanOrEqual(16 * STDERR_CAP);
    expect(r.state).toBe('done');
    const s = stored('flood-stderr')!;
    expect(s.complete).toBe(true);
    const err = s.snapshot.issues.filter((i) => i.message.startsWith('collector stderr: '));
    expect(err).toHaveLength(1);
    expect(err[0]!.message.length).toBeLessThan(400);
    expect(s.sizeRaw).toBeLessThan(stored('good1')!.sizeRaw + 64 * 1024);
  });

  it('UTF-8 and frames split across packets: the same facts as a healthy host', () => {
    expect(run('split').state).toBe('done');
    const s = stored('split')!;
    expect(s.complete).toBe(true);
    const good = stored('good1')!.snapshot.facts;
    for (const id of ['host.os_release', 'accounts.passwd', 'accounts.group', 'sshd.config']) expect(s.snapshot.facts[id]).toEqual(good[id]);
  });

  it('NUL and escapes in the identification line, banner, stderr and exit text: kept in their lossless text form, never raw in a message', () => {
    const r = run('controls');
    expect(r.state).toBe('done');
    // The text form of shared/text/target-text.ts: every byte kept, `\xNN` for each byte of a hidden character.
    expect(IDENT_CONTROLS).toBe('evil\x00\x1b[2J\x07\x7f');
    expect(r.identity?.sshServer).toBe('SSH-2.0-Hostile_evil\\x00\\x1b[2J\\x07\\x7f');
    expect(CONTROL_TEXT).toBe('evil\x00\x1b[2J\x1b]0;owned\x07\x9b31m\x7f\u202e');
    expect(r.identity?.sshBanner?.startsWith('Welcome evil\\x00\\x1b[2J\\x1b]0;owned\\x07\\xc2\\x9b31m\\x7f\\xe2\\x80\\xae')).toBe(true);
    const msgs = messages('controls');
    expect(msgs.some((m) => m.includes('exited with no status'))).toBe(true);
    for (const m of msgs) expect(m).not.toMatch(RAW_CONTROL);
  });

  it('connection dropped inside a frame: fails with the reason; the facts before the cut are kept', () => {
    const r = run('cut');
    expect(r).toMatchObject({ state: 'failed', stoppedIn: 'collecting', error: { code: 'ssh_error' } });
    expect(r.error?.message).toMatch(/connection lost during the collection, after \d+ bytes of output/);
    const s = stored('cut')!;
    expect(s.complete).toBe(false);
    expect(s.snapshot.facts['accounts.passwd']).toEqual(stored('good1')!.snapshot.facts['accounts.passwd']);
    expect(s.snapshot.issues.some((i) => i.factId !== '' && /did not close|never arrived/.test(i.message))).toBe(true);
  });

  it('MaxSessions 1: the second session refused fails the host alone, naming the refusal', () => {
    const r = run('max-sessions-1');
    expect(servers['max-sessions-1']!.refused).toBeGreaterThan(0);
    expect(r).toMatchObject({ state: 'failed', stoppedIn: 'collecting' });
    expect(r.error?.message).toMatch(/cannot open an exec channel: .*refused another session on this connection \(as sshd does with MaxSessions 1\)/);
  });

  it('no message the run stored carries a raw control byte from a target', () => {
    for (const r of got.hostRuns) for (const m of messages(r.hostName)) expect(m).not.toMatch(RAW_CONTROL);
  });
});
