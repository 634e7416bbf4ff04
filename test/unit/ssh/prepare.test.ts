/**
 * SshTransport.prepare(): the set-up starts before connect() is called (the command line opens its workspace
 * meanwhile); it resolves once the connection is on its way. connect() takes that set-up (one connection, not
 * two), its outcome too (a failure is not tried again), and its signal stops it; close() stops a prepared set-up
 * that nobody took.
 */
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SshTransport } from '../../../main/transport/ssh.js';
import { endpoint, NeverAnswers, rejection, stopAfterEach, target } from './cancel-helpers.js';
import { RecordingSecrets } from './helpers.js';
import { startStuckSsh } from './stuck-servers.js';

const stopLater = stopAfterEach();
const RUN = { deadlineMs: 60_000, maxBytes: 1024 * 1024 };

/** A TCP server that closes every connection as soon as it is accepted, counting them. */
async function closingServer() {
  let accepted = 0;
  const server = createServer((s) => {
    accepted++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    accepted: () => accepted,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('SshTransport.prepare', () => {
  it('connects before connect() is called; connect() and the script use that one connection', async () => {
    const ssh = stopLater(await startStuckSsh({ auth: 'accept', exec: 'sh' }));
    const secrets = new RecordingSecrets({ password: 'pw' });
    const t = new SshTransport(target(endpoint('early', ssh.port, { type: 'password' }, ssh.fingerprint)), secrets);
    t.prepare();
    t.prepare();
    await ssh.seen('auth');
    await t.connect();
    const run = await t.runScript('echo ran\n', RUN);
    expect(run.stdout.toString()).toBe('ran\n');
    expect(ssh.opened).toBe(1);
    expect(t.stats().connections).toBe(1);
    await t.close();
    await ssh.allClosed();
  });

  it('a prepared set-up that failed hands its failure to connect(), without a second attempt', async () => {
    const server = stopLater(await closingServer());
    const t = new SshTransport(target(endpoint('early', server.port, { type: 'password' })), new RecordingSecrets({ password: 'pw' }));
    await t.prepare();
    while (server.accepted() === 0) await new Promise((r) => setTimeout(r, 5));
    // Time for the closed connection to reach the client, so that connect() comes after the failure.
    await new Promise((r) => setTimeout(r, 100));
    const e = await rejection(t.connect());
    expect(e.code).not.toBe('cancelled');
    expect(e.message).toContain(`127.0.0.1:${server.port}`);
    expect(server.accepted()).toBe(1);
    await t.close();
    expect(server.accepted()).toBe(1);
  });

  it('the signal of the connect() that takes it stops a prepared set-up under way', async () => {
    const ssh = stopLater(await startStuckSsh({ auth: 'accept' }));
    // Nobody ever types the password: the set-up waits there until it is stopped.
    const secrets = new NeverAnswers();
    const t = new SshTransport(target(endpoint('early', ssh.port, { type: 'password' }, ssh.fingerprint)), secrets);
    // It resolves once the connection is on its way, not when the set-up ends (it never does here).
    await t.prepare();
    await ssh.opening(1);
    await secrets.askedFor('password');
    const ac = new AbortController();
    const p = rejection(t.connect(ac.signal));
    ac.abort();
    expect((await p).code).toBe('cancelled');
    await t.close();
    await ssh.allClosed();
    expect(ssh.opened).toBe(1);
  });

  it('close() stops a prepared set-up that no connect() took', async () => {
    const ssh = stopLater(await startStuckSsh({ auth: 'accept' }));
    const secrets = new NeverAnswers();
    const t = new SshTransport(target(endpoint('early', ssh.port, { type: 'password' }, ssh.fingerprint)), secrets);
    t.prepare();
    await secrets.askedFor('password');
    await t.close();
    await ssh.allClosed();
    expect(t.stats()).toEqual({ connections: 0, execChannels: 0 });
  });
});
