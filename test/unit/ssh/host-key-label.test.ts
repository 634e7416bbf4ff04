/** Host key messages name an IPv6 host as [address]:port, so the port cannot be read as part of the address. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkHostKey } from '../../../main/ssh/host-key.js';
import { FoureyesError } from '../../../shared/model/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'fe-host-key-label-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sshString(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}
const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(randomBytes(32))]);

async function refusal(subject: { name: string; address: string; port: number }): Promise<FoureyesError> {
  const file = join(dir, 'known_hosts');
  writeFileSync(file, '');
  const e: unknown = await checkHostKey({ knownHostsFiles: [file], acceptNew: false }, subject, blob).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(FoureyesError);
  return e as FoureyesError;
}

describe('host key messages', () => {
  it('put an IPv6 address in brackets', async () => {
    const e = await refusal({ name: '2001:db8::6', address: '2001:db8::6', port: 2222 });
    expect(e.code).toBe('host_key_unknown');
    expect(e.message).toContain('host key of [2001:db8::6]:2222 is not known');
  });
  it('name the host, then its address and port', async () => {
    const e = await refusal({ name: 'db6', address: '2001:db8::6', port: 22 });
    expect(e.message).toContain('host key of db6 ([2001:db8::6]:22) is not known');
    const v4 = await refusal({ name: 'db4', address: '192.0.2.4', port: 22 });
    expect(v4.message).toContain('host key of db4 (192.0.2.4:22) is not known');
  });
});
