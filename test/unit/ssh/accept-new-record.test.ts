/**
 * accept-new records a host key only once the connection is established, never after a cancel, and as one whole
 * line. Against in-process ssh2 servers: one that hangs in authentication, one that refuses it, one that accepts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTarget } from '../../../main/ssh/connect.js';
import { appendKnownHost } from '../../../main/ssh/known-hosts.js';
import type { SshEndpoint } from '../../../shared/model/target.js';
import { startTestSshServer } from '../services/ssh2-server.js';
import { rejection, target, stopAfterEach, trackHandles } from './cancel-helpers.js';
import { RecordingSecrets, sleep } from './helpers.js';
import { startStuckSsh } from './stuck-servers.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fe-accept-new-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const later = stopAfterEach();

/** A known_hosts file with an unrelated entry and no final newline (an append would have to add one first). */
let n = 0;
function knownHostsFile(): { file: string; before: Buffer } {
  const file = join(dir, `known_hosts-${++n}`);
  writeFileSync(file, 'other.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDzQ0VqZQm4s3XJq7nTn8f1Xh9a5b1YpB6bGg4pSx0cX');
  return { file, before: readFileSync(file) };
}

function acceptNewEndpoint(port: number, file: string): SshEndpoint {
  return {
    name: 'first-contact',
    address: '127.0.0.1',
    port,
    user: 'auditor',
    auth: { type: 'password' },
    hostKey: { knownHostsFiles: [file], acceptNew: true },
  };
}

describe('accept-new recording', () => {
  it('abort inside the host key verifier: cancelled, connection closed, known_hosts unchanged byte for byte', async () => {
    const ssh = later(await startStuckSsh({ auth: 'accept' }));
    const { file, before } = knownHostsFile();
    const handles = trackHandles();
    const ac = new AbortController();
    let verifierRan = 0;
    // checkHostKey asks for the time only when it has decided to accept a new key: the abort lands exactly there.
    const now = (): Date => {
      verifierRan++;
      ac.abort();
      return new Date();
    };
    const secrets = new RecordingSecrets({ password: 'pw' });
    const e = await rejection(
      connectTarget(target(acceptNewEndpoint(ssh.port, file)), secrets, { knownHostsRecordFile: file, signal: ac.signal, now }),
    );
    expect(e.code).toBe('cancelled');
    expect(verifierRan).toBe(1);
    await ssh.allClosed();
    expect(ssh).toMatchObject({ opened: 1, closed: 1 });
    expect(ssh.authMethods).toEqual([]);
    expect(secrets.asked).toEqual([]);
    // The rejection comes at once; a record still under way behind it (the old behaviour) would land within
    // milliseconds of local file I/O: look well after that.
    await sleep(300);
    expect(readFileSync(file).equals(before)).toBe(true);
    await handles.expectNoneLeft();
  });

  it('abort while the server sits on authentication (key already accepted): nothing recorded', async () => {
    const ssh = later(await startStuckSsh({ auth: 'hang' }));
    const { file, before } = knownHostsFile();
    const ac = new AbortController();
    const p = rejection(
      connectTarget(target(acceptNewEndpoint(ssh.port, file)), new RecordingSecrets({ password: 'pw' }), { knownHostsRecordFile: file, signal: ac.signal }),
    );
    await ssh.seen('auth');
    ac.abort();
    expect((await p).code).toBe('cancelled');
    await ssh.allClosed();
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('authentication refused: the key of a connection that never came up is not recorded', async () => {
    const server = later(await startTestSshServer({ password: { user: 'auditor', password: 'right' } }));
    const { file, before } = knownHostsFile();
    const e = await rejection(
      connectTarget(target(acceptNewEndpoint(server.port, file)), new RecordingSecrets({ password: 'wrong' }), { knownHostsRecordFile: file }),
    );
    expect(e.code).toBe('auth_failed');
    expect(server.authAttempts.some((a) => a.password === 'wrong')).toBe(true);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('established: exactly one whole line appended (after a newline the file lacked), and reported as recorded', async () => {
    const server = later(await startTestSshServer({ password: { user: 'auditor', password: 'right' } }));
    const { file, before } = knownHostsFile();
    const s = await connectTarget(target(acceptNewEndpoint(server.port, file)), new RecordingSecrets({ password: 'right' }), { knownHostsRecordFile: file });
    await s.close();
    expect(s.acceptedNewKeys).toEqual([expect.objectContaining({ fingerprint: server.fingerprint, recordedIn: file })]);
    expect(readFileSync(file, 'utf8')).toBe(`${before.toString('utf8')}\n[127.0.0.1]:${server.port} ${server.publicLine}\n`);
  });
});

describe('appendKnownHost with a signal', () => {
  it('already fired: rejects cancelled and creates nothing', async () => {
    const f = join(dir, 'never', 'known_hosts');
    const ac = new AbortController();
    ac.abort();
    const blob = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIDzQ0VqZQm4s3XJq7nTn8f1Xh9a5b1YpB6bGg4pSx0cX', 'base64');
    const e = await rejection(appendKnownHost(f, 'db01', 22, 'ssh-ed25519', blob, { signal: ac.signal }));
    expect(e.code).toBe('cancelled');
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
