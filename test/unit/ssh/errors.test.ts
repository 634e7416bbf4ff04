import { describe, expect, it } from 'vitest';
import { endpointLabel, mapSshError } from '../../../main/ssh/errors.js';
import { FoureyesError } from '../../../shared/model/errors.js';

const who = endpointLabel({ user: 'auditor', address: 'db01', port: 2222 });

describe('mapSshError', () => {
  it.each([
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'connect_refused', 'connection refused'],
    [{ code: 'ETIMEDOUT', message: 'x' }, 'connect_timeout', 'connection timed out'],
    [{ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND db01' }, 'unreachable', 'host name not found'],
    [{ code: 'EHOSTUNREACH', message: 'x' }, 'unreachable', 'no route to host'],
    [{ code: 'ENETUNREACH', message: 'x' }, 'unreachable', 'network unreachable'],
    [new Error('All configured authentication methods failed'), 'auth_failed', 'authentication failed'],
    [new Error('Timed out while waiting for handshake'), 'connect_timeout', 'no SSH handshake'],
    [Object.assign(new Error('(SSH) Channel open failure: Connection refused'), { reason: 2 }), 'connect_refused', 'could not connect'],
    [new Error('Connection lost before handshake'), 'ssh_error', 'closed before the SSH handshake'],
    [new Error('something else'), 'ssh_error', 'something else'],
  ])('%o -> %s', (err, code, text) => {
    const e = mapSshError(err, who);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(/^auditor@db01:2222: /);
    expect(e.message).toContain(text);
  });

  it('passes FoureyesErrors through and brackets IPv6 addresses', () => {
    const fe = new FoureyesError('host_key_changed', 'x');
    expect(mapSshError(fe, who)).toBe(fe);
    expect(endpointLabel({ user: 'u', address: '2001:db8::1', port: 22 })).toBe('u@[2001:db8::1]:22');
  });
});
