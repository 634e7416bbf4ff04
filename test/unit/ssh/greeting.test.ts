/**
 * The target's SSH greeting against a real sshd: its identification line and its pre-login banner (sshd's
 * `Banner`), recorded by the transport also when the login is then refused, bounded, as the bytes the server sent
 * (control characters included: escaping is the job of each destination).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGET_IDENTITY_LIMITS } from '../../../shared/model/identity.js';
import { addBanner, identLine } from '../../../main/ssh/greeting.js';
import { SshTransport } from '../../../main/transport/ssh.js';
import { rejection } from './cancel-helpers.js';
import { RecordingSecrets, pinned, targetFor } from './helpers.js';
import { makeClientKeys, startSshd, tempDir, type ClientKeys, type SshdFixture } from './sshd-fixture.js';

const BANNER = 'Authorised access only: ACME-PROD-DB01\n\x1b[31mred\x1b[0m <b>bold</b>\n';
/** The banner as the identity keeps it: its text form, newlines kept, ESC as `\x1b`. */
const BANNER_FORM = 'Authorised access only: ACME-PROD-DB01\n\\x1b[31mred\\x1b[0m <b>bold</b>\n';

let keys: ClientKeys;
let sshd: SshdFixture;
let plain: SshdFixture;

beforeAll(async () => {
  keys = makeClientKeys();
  const dir = tempDir('banner');
  const file = join(dir, 'banner');
  writeFileSync(file, BANNER);
  sshd = await startSshd({ authorizedKeys: [keys.plain], extraConfig: [`Banner ${file}`] });
  plain = await startSshd({ authorizedKeys: [keys.plain] });
});
afterAll(async () => {
  await sshd?.stop();
  await plain?.stop();
});

describe('SSH greeting', () => {
  it('records the identification line and the banner of a host it logs in to', async () => {
    const t = new SshTransport(
      targetFor(sshd, { type: 'key', keyPath: keys.plain }, pinned(sshd)),
      new RecordingSecrets(),
    );
    await t.connect();
    const id = t.identity();
    await t.close();
    expect(id.sshServer).toMatch(/^SSH-2\.0-OpenSSH_\S+/);
    expect(id.sshServer).not.toMatch(/[\r\n]/);
    expect(id.sshBanner).toBe(BANNER_FORM);
    expect(id.sshBannerTruncated).toBeUndefined();
  });

  it('keeps the banner of a host that refuses the login', async () => {
    const t = new SshTransport(
      targetFor(sshd, { type: 'key', keyPath: keys.stranger }, pinned(sshd)),
      new RecordingSecrets(),
    );
    const e = await rejection(t.connect());
    expect(e.code).toBe('auth_failed');
    expect(t.identity()).toMatchObject({ sshBanner: BANNER_FORM, sshServer: expect.stringMatching(/^SSH-2\.0-/) });
    await t.close();
  });

  it('has no banner where the server sends none', async () => {
    const t = new SshTransport(
      targetFor(plain, { type: 'key', keyPath: keys.plain }, pinned(plain)),
      new RecordingSecrets(),
    );
    await t.connect();
    const id = t.identity();
    await t.close();
    expect(id.sshBanner).toBeUndefined();
    expect(id.sshServer).toMatch(/^SSH-2\.0-OpenSSH/);
  });

  it('finds the identification line after other lines, and bounds line and banner', () => {
    expect(identLine(Buffer.from('hello\r\nSSH-2.0-Foo_1.0 comment\r\n'))).toBe('SSH-2.0-Foo_1.0 comment');
    expect(identLine(Buffer.from('SSH-2.0-Foo'))).toBeNull();
    expect(identLine(Buffer.from(`SSH-2.0-${'x'.repeat(1000)}\n`))?.length).toBe(
      TARGET_IDENTITY_LIMITS.sshServer,
    );
    const g = {};
    addBanner(g, 'a'.repeat(4000));
    addBanner(g, 'b'.repeat(200));
    expect(g).toMatchObject({ bannerTruncated: true });
    expect((g as { banner: string }).banner.length).toBe(TARGET_IDENTITY_LIMITS.sshBanner);
  });
});
