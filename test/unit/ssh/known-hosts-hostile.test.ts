/**
 * known_hosts files as a user's machine may hold them: huge (150,000 lines, near the size cap), full of bad lines,
 * or missing altogether. Lookups answer within bounds, name what they skipped in bounded notes, and a refusal says
 * when the file the user named does not exist.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkHostKey } from '../../../main/ssh/host-key.js';
import { fingerprintSha256 } from '../../../main/ssh/key-blob.js';
import { loadKnownHosts, lookup } from '../../../main/ssh/known-hosts.js';
import { FoureyesError } from '../../../shared/model/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'fe-kh-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sshString(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}
const keyBlob = (): Buffer => Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(randomBytes(32))]);

describe('known_hosts files that are not what a program expects', () => {
  it('150,000 valid lines: loaded without a stack overflow, the one for the host found', async () => {
    const target = keyBlob();
    const other = keyBlob().toString('base64');
    const lines: string[] = [];
    for (let i = 0; i < 150_000; i++) lines.push(`host${i}.example ssh-ed25519 ${other}`);
    lines.push(`db01.example ssh-ed25519 ${target.toString('base64')}`);
    const file = join(dir, 'big');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const loaded = await loadKnownHosts([file]);
    expect(loaded.entries).toHaveLength(150_001);
    const r = await lookup([file], 'db01.example', 22, target);
    expect(r.status).toBe('match');
    expect(r.line).toBe(150_001);
  });

  it('150,000 bad lines: skipped, with 20 named and one line counting the rest', async () => {
    const file = join(dir, 'bad');
    writeFileSync(file, 'not a known_hosts line\n'.repeat(150_000));
    const { entries, notes } = await loadKnownHosts([file]);
    expect(entries).toEqual([]);
    expect(notes).toHaveLength(21);
    expect(notes[0]).toMatch(new RegExp(`^${file}:1: `));
    expect(notes[20]).toBe(`${file}: 149980 more lines skipped`);
  });

  it('a known_hosts file that does not exist is named as missing in the refusal', async () => {
    const missing = join(dir, 'no-such-known_hosts');
    const blob = keyBlob();
    const e: unknown = await checkHostKey(
      { knownHostsFiles: [missing], acceptNew: false },
      { name: 'db01', address: '192.0.2.1', port: 22 },
      blob,
    ).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FoureyesError);
    expect((e as FoureyesError).code).toBe('host_key_unknown');
    expect((e as FoureyesError).message).toContain(
      `host key of db01 (192.0.2.1:22) is not known in ${missing} (${missing} does not exist): `,
    );
    expect((e as FoureyesError).message).toContain(fingerprintSha256(blob));
  });
});
