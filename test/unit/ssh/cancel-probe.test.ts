/**
 * The host key probe honours its signal at every stage: before anything is opened, during the key exchange, while
 * a jump host authenticates us, and while the jump host is asked to forward. Each ends with `cancelled` and every
 * connection closed. The probe timeout is left long (60 s) so an abort that were ignored shows as a test timeout.
 */
import { describe, expect, it } from 'vitest';
import { probeHostKey } from '../../../main/ssh/probe.js';
import { endpoint, rejection, target, stopAfterEach, trackHandles } from './cancel-helpers.js';
import { RecordingSecrets } from './helpers.js';
import { startSilentTcp, startStuckSsh } from './stuck-servers.js';

const later = stopAfterEach();

const probeOf = (port: number) => ({ name: 'probed', address: '127.0.0.1', port });
const LONG = 60_000;

describe('probeHostKey: abort', () => {
  it('already fired: cancelled, nothing opened (directly or to a jump host)', async () => {
    const silent = later(await startSilentTcp());
    const ac = new AbortController();
    ac.abort();
    const direct = await rejection(probeHostKey(probeOf(silent.port), { signal: ac.signal, timeoutMs: LONG }));
    expect(direct.code).toBe('cancelled');
    expect(direct.message).toBe(`host key probe of probed (127.0.0.1:${silent.port}) cancelled`);
    const via = target(endpoint('jump', silent.port, { type: 'password' }));
    const viaJump = await rejection(probeHostKey(probeOf(9), { via, signal: ac.signal, timeoutMs: LONG }));
    expect(viaJump.code).toBe('cancelled');
    expect(await silent.connectionsBefore()).toBe(0);
  });

  it('during the key exchange with a server that never speaks: cancelled, the socket closed', async () => {
    const silent = later(await startSilentTcp());
    const handles = trackHandles();
    const ac = new AbortController();
    const p = rejection(probeHostKey(probeOf(silent.port), { signal: ac.signal, timeoutMs: LONG }));
    await silent.opening(1);
    ac.abort();
    expect((await p).code).toBe('cancelled');
    await silent.allClosed();
    expect(silent).toMatchObject({ opened: 1, closed: 1 });
    await handles.expectNoneLeft();
  });

  it('while the jump host sits on our authentication: cancelled (not a jump host error), the jump connection closed', async () => {
    const jump = later(await startStuckSsh({ auth: 'hang' }));
    const handles = trackHandles();
    const ac = new AbortController();
    const via = target(endpoint('jump', jump.port, { type: 'password' }, jump.fingerprint));
    const p = rejection(probeHostKey(probeOf(9), { via, secrets: new RecordingSecrets({ password: 'pw' }), signal: ac.signal, timeoutMs: LONG }));
    await jump.seen('auth');
    ac.abort();
    const e = await p;
    expect(e.code).toBe('cancelled');
    expect(e.message).toBe('host key probe of probed (127.0.0.1:9) cancelled');
    await jump.allClosed();
    expect(jump).toMatchObject({ opened: 1, closed: 1 });
    await handles.expectNoneLeft();
  });

  it('while the jump host does not answer the forwarding request: cancelled, the jump connection closed', async () => {
    const jump = later(await startStuckSsh({ auth: 'accept', forward: 'hang' }));
    const handles = trackHandles();
    const ac = new AbortController();
    const via = target(endpoint('jump', jump.port, { type: 'password' }, jump.fingerprint));
    const p = rejection(probeHostKey(probeOf(9), { via, secrets: new RecordingSecrets({ password: 'pw' }), signal: ac.signal, timeoutMs: LONG }));
    await jump.seen('forward');
    ac.abort();
    expect((await p).code).toBe('cancelled');
    await jump.allClosed();
    expect(jump.forwards).toEqual(['127.0.0.1:9']);
    expect(jump).toMatchObject({ opened: 1, closed: 1 });
    await handles.expectNoneLeft();
  });

  it('during the key exchange behind a jump host: the forwarded connection and the jump connection close', async () => {
    const jump = later(await startStuckSsh({ auth: 'accept', forward: 'connect' }));
    const silent = later(await startSilentTcp());
    const handles = trackHandles();
    const ac = new AbortController();
    const via = target(endpoint('jump', jump.port, { type: 'password' }, jump.fingerprint));
    const p = rejection(probeHostKey(probeOf(silent.port), { via, secrets: new RecordingSecrets({ password: 'pw' }), signal: ac.signal, timeoutMs: LONG }));
    await silent.opening(1);
    ac.abort();
    expect((await p).code).toBe('cancelled');
    await silent.allClosed();
    await jump.channels.allClosed();
    await jump.allClosed();
    expect({ jump: jump.closed, channels: jump.channels.closed, target: silent.closed }).toEqual({ jump: 1, channels: 1, target: 1 });
    await handles.expectNoneLeft();
  });
});
