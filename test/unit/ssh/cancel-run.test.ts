/**
 * Cancelling after the connection is up: an exec request the server never answers, sudo waiting for a password
 * nobody gives, a script whose output never comes. Each rejects with `cancelled`; the transport's close() after an
 * abort ends the connection (the server sees it close) and leaves no channel, socket or timer behind.
 */
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectTarget } from '../../../main/ssh/connect.js';
import { execCommand } from '../../../main/ssh/exec.js';
import { SshTransport } from '../../../main/transport/ssh.js';
import { endpoint, NeverAnswers, rejection, target, trackHandles } from './cancel-helpers.js';
import { makeFakeSudo } from './fake-sudo.js';
import { RecordingSecrets } from './helpers.js';
import { tempDir } from './sshd-fixture.js';
import { startFreezingProxy, startStuckSsh } from './stuck-servers.js';

let dir: string;
beforeAll(() => {
  dir = tempDir('cancel-run');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});
async function stuck(opts: Parameters<typeof startStuckSsh>[0]) {
  const s = await startStuckSsh(opts);
  stops.push(() => s.stop());
  return s;
}

const RUN = { deadlineMs: 60_000, maxBytes: 1024 * 1024 };

describe('abort after the connection is up', () => {
  it('execCommand while the server sits on the exec request: cancelled; the session still closes cleanly', async () => {
    const ssh = await stuck({ auth: 'accept', exec: 'hang' });
    const handles = trackHandles();
    const s = await connectTarget(target(endpoint('stuck', ssh.port, { type: 'password' }, ssh.fingerprint)), new RecordingSecrets({ password: 'pw' }));
    const ac = new AbortController();
    const p = rejection(execCommand(s, 'true', { deadlineMs: 60_000, maxStdout: 100, maxStderr: 100, signal: ac.signal }));
    await ssh.seen('exec');
    ac.abort();
    const e = await p;
    expect(e.code).toBe('cancelled');
    expect(e.message).toBe(`auditor@127.0.0.1:${ssh.port}: command cancelled`);
    await s.close();
    await ssh.allClosed();
    expect(ssh).toMatchObject({ opened: 1, closed: 1 });
    await handles.expectNoneLeft();
  });

  it('SshTransport while the password for a sudo that wants one before anything is not given: cancelled, no sudo -v started, all closed', async () => {
    const ssh = await stuck({ auth: 'accept', exec: 'sh' });
    const fake = makeFakeSudo(dir, 'pw', { password: 'secret' });
    const handles = trackHandles();
    const secrets = new NeverAnswers({ password: 'pw' });
    const t = new SshTransport({ ...target(endpoint('stuck', ssh.port, { type: 'password' }, ssh.fingerprint)), privilege: 'sudo' }, secrets, {
      sudoCommand: fake.path,
      rootCheck: false,
    });
    const ac = new AbortController();
    const p = rejection(t.runScript('echo ran\n', { ...RUN, signal: ac.signal }));
    await secrets.askedFor('sudo');
    ac.abort();
    const e = await p;
    expect(e.code).toBe('cancelled');
    await t.close();
    await ssh.channels.allClosed();
    await ssh.allClosed();
    expect(fake.attempts()).toEqual([]);
    expect(fake.log()).not.toContain('exec');
    // Only `sudo -n -l` ran (it said a password is required); sudo -v waits for the password, which never came.
    expect(fake.log().filter((l) => l.startsWith('argv:'))).toEqual(['argv: -n -l']);
    expect(ssh).toMatchObject({ opened: 1, closed: 1 });
    await handles.expectNoneLeft();
  });

  it('SshTransport while sudo shows its prompt and the password nobody gives: cancelled, nothing written to sudo, all closed', async () => {
    const ssh = await stuck({ auth: 'accept', exec: 'sh' });
    // The rules are listed without a password: the first channel starts sudo -S, which prompts.
    const fake = makeFakeSudo(dir, 'pw-prompt', { password: 'secret', listable: true });
    const handles = trackHandles();
    const secrets = new NeverAnswers({ password: 'pw' });
    const t = new SshTransport({ ...target(endpoint('stuck', ssh.port, { type: 'password' }, ssh.fingerprint)), privilege: 'sudo' }, secrets, {
      sudoCommand: fake.path,
      rootCheck: false,
    });
    const ac = new AbortController();
    const p = rejection(t.runScript('echo ran\n', { ...RUN, signal: ac.signal }));
    await secrets.askedFor('sudo');
    expect(fake.log().some((l) => /^argv: -S -p fe-pw-/.test(l))).toBe(true);
    ac.abort();
    const e = await p;
    expect(e.code).toBe('cancelled');
    await t.close();
    await ssh.channels.allClosed();
    await ssh.allClosed();
    expect(fake.attempts()).toEqual([]);
    expect(fake.log()).not.toContain('exec');
    expect(ssh).toMatchObject({ opened: 1, closed: 1 });
    await handles.expectNoneLeft();
  });

  it('SshTransport: the deadline ends the wait for a password nobody gives (timeout), before and at the prompt', async () => {
    const ssh = await stuck({ auth: 'accept', exec: 'sh' });
    for (const listable of [false, true]) {
      const fake = makeFakeSudo(dir, `pw-deadline-${listable}`, { password: 'secret', listable });
      const secrets = new NeverAnswers({ password: 'pw' });
      const t = new SshTransport({ ...target(endpoint('stuck', ssh.port, { type: 'password' }, ssh.fingerprint)), privilege: 'sudo' }, secrets, {
        sudoCommand: fake.path,
        rootCheck: false,
      });
      const e = await rejection(t.runScript('echo ran\n', { ...RUN, deadlineMs: 1000 }));
      expect(e.code).toBe('timeout');
      expect(secrets.asked).toEqual(['password@stuck', 'sudo@stuck']);
      await t.close();
      expect(fake.attempts()).toEqual([]);
      expect(fake.log()).not.toContain('exec');
      expect(fake.log()).not.toContain('validated');
    }
    await ssh.channels.allClosed();
    await ssh.allClosed();
  });

  it('SshTransport: the signal given at construction stops a run made without one (sudo waiting for a password)', async () => {
    const ssh = await stuck({ auth: 'accept', exec: 'sh' });
    const fake = makeFakeSudo(dir, 'pw-ctor', { password: 'secret' });
    const secrets = new NeverAnswers({ password: 'pw' });
    const ac = new AbortController();
    const t = new SshTransport({ ...target(endpoint('stuck', ssh.port, { type: 'password' }, ssh.fingerprint)), privilege: 'sudo' }, secrets, {
      sudoCommand: fake.path,
      rootCheck: false,
      signal: ac.signal,
    });
    const p = rejection(t.runScript('echo ran\n', { ...RUN, deadlineMs: 5_000 }));
    await secrets.askedFor('sudo');
    ac.abort();
    const e = await p;
    expect(e.code).toBe('cancelled');
    await t.close();
    await ssh.channels.allClosed();
    await ssh.allClosed();
    expect(fake.attempts()).toEqual([]);
  });

  it('SshTransport while the script never answers and the peer then goes dead: cancelled; close() does not wait for it', async () => {
    const ssh = await stuck({ auth: 'accept', exec: 'silent' });
    const proxy = await startFreezingProxy(ssh.port);
    stops.push(() => proxy.stop());
    const t = new SshTransport(target(endpoint('stuck', proxy.port, { type: 'password' }, ssh.fingerprint)), new RecordingSecrets({ password: 'pw' }));
    const ac = new AbortController();
    const p = rejection(t.runScript('echo ran\n', { ...RUN, signal: ac.signal }));
    await ssh.channels.opening(1);
    proxy.freeze();
    ac.abort();
    expect((await p).code).toBe('cancelled');
    // Nothing answers our disconnect: close() after an abort destroys the socket instead of waiting for a reply.
    await t.close();
    await proxy.allClosed();
    expect(proxy).toMatchObject({ opened: 1, closed: 1 });
    expect(t.stats().connections).toBe(1);
  });

  it('close() without an abort, the peer dead: the socket is destroyed after the grace period', async () => {
    const ssh = await stuck({ auth: 'accept' });
    const proxy = await startFreezingProxy(ssh.port);
    stops.push(() => proxy.stop());
    const s = await connectTarget(target(endpoint('stuck', proxy.port, { type: 'password' }, ssh.fingerprint)), new RecordingSecrets({ password: 'pw' }));
    proxy.freeze();
    await s.close();
    expect(s.closed).toBe(true);
    await proxy.allClosed();
    expect(proxy).toMatchObject({ opened: 1, closed: 1 });
  });

  it('SshTransport.connect with a signal that fires while the server sits on authentication: cancelled, closed', async () => {
    const ssh = await stuck({ auth: 'hang' });
    const t = new SshTransport(target(endpoint('stuck', ssh.port, { type: 'password' }, ssh.fingerprint)), new RecordingSecrets({ password: 'pw' }));
    const ac = new AbortController();
    const p = rejection(t.connect(ac.signal));
    await ssh.seen('auth');
    ac.abort();
    expect((await p).code).toBe('cancelled');
    await t.close();
    await ssh.allClosed();
    expect(t.stats()).toEqual({ connections: 0, execChannels: 0 });
  });
});
