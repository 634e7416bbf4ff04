/**
 * Cancelling connection set-up: at every stage where a server (or a person, or an agent) can keep us waiting, an
 * abort rejects with `cancelled`, the servers see every connection close, and no socket or timer is left behind.
 * Speed is not asserted (the machine is shared); the connect timeout is left at its 20 s default, so an abort that
 * were not honoured would show as a test timeout, not as a pass.
 */
import { describe, expect, it } from 'vitest';
import { connectTarget } from '../../../main/ssh/connect.js';
import { endpoint, NeverAnswers, rejection, target, stopAfterEach, trackHandles } from './cancel-helpers.js';
import { RecordingSecrets } from './helpers.js';
import { startSilentTcp, startStuckAgent, startStuckSsh } from './stuck-servers.js';

const later = stopAfterEach();

describe('connectTarget: abort', () => {
  it('already fired: rejects cancelled and never opens a connection', async () => {
    const silent = later(await startSilentTcp());
    const ac = new AbortController();
    ac.abort();
    const e = await rejection(connectTarget(target(endpoint('silent', silent.port, { type: 'password' })), new RecordingSecrets(), { signal: ac.signal }));
    expect(e.code).toBe('cancelled');
    expect(await silent.connectionsBefore()).toBe(0);
  });

  it('while the SSH handshake hangs (server accepts TCP, never speaks): cancelled, the server sees the socket close', async () => {
    const silent = later(await startSilentTcp());
    const handles = trackHandles();
    const ac = new AbortController();
    const p = rejection(connectTarget(target(endpoint('silent', silent.port, { type: 'password' })), new RecordingSecrets(), { signal: ac.signal }));
    await silent.opening(1);
    ac.abort();
    const e = await p;
    expect(e.code).toBe('cancelled');
    expect(e.message).toBe(`auditor@127.0.0.1:${silent.port}: connection cancelled`);
    await silent.allClosed();
    expect(silent).toMatchObject({ opened: 1, closed: 1 });
    await handles.expectNoneLeft();
  });

  it('while the server sits on the authentication request: cancelled, connection closed', async () => {
    const ssh = later(await startStuckSsh({ auth: 'hang' }));
    const handles = trackHandles();
    const ac = new AbortController();
    const ep = endpoint('stuck', ssh.port, { type: 'password' }, ssh.fingerprint);
    const p = rejection(connectTarget(target(ep), new RecordingSecrets({ password: 'pw' }), { signal: ac.signal }));
    await ssh.seen('auth');
    ac.abort();
    expect((await p).code).toBe('cancelled');
    await ssh.allClosed();
    expect(ssh.authMethods).toEqual(['password']);
    expect(ssh).toMatchObject({ opened: 1, closed: 1 });
    await handles.expectNoneLeft();
  });

  it('while the password is being asked for (nobody answers): cancelled, nothing offered to the server', async () => {
    const ssh = later(await startStuckSsh({ auth: 'accept' }));
    const handles = trackHandles();
    const secrets = new NeverAnswers();
    const ac = new AbortController();
    const p = rejection(connectTarget(target(endpoint('stuck', ssh.port, { type: 'password' }, ssh.fingerprint)), secrets, { signal: ac.signal }));
    await secrets.askedFor('password');
    ac.abort();
    const e = await p;
    expect(e.code).toBe('cancelled');
    await ssh.allClosed();
    expect(ssh.authMethods).toEqual([]);
    expect(ssh).toMatchObject({ opened: 1, closed: 1 });
    await handles.expectNoneLeft();
  });

  it('while ssh-agent does not answer: cancelled, the agent request and the connection are closed', async () => {
    const ssh = later(await startStuckSsh({ auth: 'accept' }));
    const agent = later(await startStuckAgent());
    const handles = trackHandles();
    const ac = new AbortController();
    const ep = endpoint('stuck', ssh.port, { type: 'agent', socket: agent.socket }, ssh.fingerprint);
    const p = rejection(connectTarget(target(ep), new RecordingSecrets(), { signal: ac.signal }));
    await agent.opening(1);
    ac.abort();
    expect((await p).code).toBe('cancelled');
    await agent.allClosed();
    await ssh.allClosed();
    expect(agent).toMatchObject({ opened: 1, closed: 1 });
    expect(ssh).toMatchObject({ opened: 1, closed: 1 });
    expect(ssh.authMethods).toEqual([]);
    await handles.expectNoneLeft();
  });
});

describe('connectTarget through a jump host: abort', () => {
  it('while the target behind the jump host hangs in its handshake: both hops end, the forwarded connection too', async () => {
    const jump = later(await startStuckSsh({ auth: 'accept', forward: 'connect' }));
    const silent = later(await startSilentTcp());
    const handles = trackHandles();
    const ac = new AbortController();
    const t = target(endpoint('inner', silent.port, { type: 'password' }), [endpoint('jump', jump.port, { type: 'password' }, jump.fingerprint)]);
    const p = rejection(connectTarget(t, new RecordingSecrets({ password: 'pw' }), { signal: ac.signal }));
    await silent.opening(1);
    ac.abort();
    const e = await p;
    expect(e.code).toBe('cancelled');
    expect(e.message).toBe(`target: auditor@127.0.0.1:${silent.port}: connection cancelled`);
    await silent.allClosed();
    await jump.channels.allClosed();
    await jump.allClosed();
    expect(jump.forwards).toEqual([`127.0.0.1:${silent.port}`]);
    expect({ jump: jump.opened, jumpClosed: jump.closed, channels: jump.channels.opened, target: silent.opened, targetClosed: silent.closed }).toEqual({
      jump: 1,
      jumpClosed: 1,
      channels: 1,
      target: 1,
      targetClosed: 1,
    });
    await handles.expectNoneLeft();
  });

  it('while the jump host does not answer the forwarding request: cancelled, the jump connection is closed', async () => {
    const jump = later(await startStuckSsh({ auth: 'accept', forward: 'hang' }));
    const handles = trackHandles();
    const ac = new AbortController();
    const t = target(endpoint('inner', 9, { type: 'password' }), [endpoint('jump', jump.port, { type: 'password' }, jump.fingerprint)]);
    const p = rejection(connectTarget(t, new RecordingSecrets({ password: 'pw' }), { signal: ac.signal }));
    await jump.seen('forward');
    ac.abort();
    expect((await p).code).toBe('cancelled');
    await jump.allClosed();
    expect(jump).toMatchObject({ opened: 1, closed: 1 });
    await handles.expectNoneLeft();
  });

  it('without an abort, a forwarding request the jump host never answers ends at the connect timeout', async () => {
    const jump = later(await startStuckSsh({ auth: 'accept', forward: 'hang' }));
    const t = target(endpoint('inner', 9, { type: 'password' }), [endpoint('jump', jump.port, { type: 'password' }, jump.fingerprint)]);
    const e = await rejection(connectTarget(t, new RecordingSecrets({ password: 'pw' }), { readyTimeoutMs: 500 }));
    expect(e.code).toBe('connect_timeout');
    expect(e.message).toBe('target: auditor@127.0.0.1:9: no SSH connection within 500 ms');
    expect(jump.forwards).toEqual(['127.0.0.1:9']);
    await jump.allClosed();
    expect(jump).toMatchObject({ opened: 1, closed: 1 });
  });

  it('while the jump host hangs in authentication: nothing is forwarded, the jump connection is closed', async () => {
    const jump = later(await startStuckSsh({ auth: 'hang', forward: 'connect' }));
    const silent = later(await startSilentTcp());
    const ac = new AbortController();
    const t = target(endpoint('inner', silent.port, { type: 'password' }), [endpoint('jump', jump.port, { type: 'password' }, jump.fingerprint)]);
    const p = rejection(connectTarget(t, new RecordingSecrets({ password: 'pw' }), { signal: ac.signal }));
    await jump.seen('auth');
    ac.abort();
    const e = await p;
    expect(e.code).toBe('cancelled');
    expect(e.message).toMatch(/^jump host 1 of 1: /);
    await jump.allClosed();
    expect(jump.forwards).toEqual([]);
    expect(await silent.connectionsBefore()).toBe(0);
  });
});
