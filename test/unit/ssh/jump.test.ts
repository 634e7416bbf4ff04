import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTarget } from '../../../main/ssh/connect.js';
import { execCommand } from '../../../main/ssh/exec.js';
import { resolveAlias } from '../../../main/ssh/ssh-config.js';
import type { SshTarget } from '../../../shared/model/target.js';
import { rejection } from './cancel-helpers.js';
import { RecordingSecrets, endpointFor, pinned, sleep } from './helpers.js';
import { closedPort, makeClientKeys, startSshd, type ClientKeys, type SshdFixture } from './sshd-fixture.js';

let keys: ClientKeys;
let bastion: SshdFixture;
let inner: SshdFixture;

beforeAll(async () => {
  keys = makeClientKeys();
  bastion = await startSshd({ authorizedKeys: [keys.plain] });
  // The target only knows the encrypted key: proves each hop authenticates with its own method.
  inner = await startSshd({ authorizedKeys: [keys.encrypted] });
});
afterAll(async () => {
  await bastion?.stop();
  await inner?.stop();
  rmSync(keys.dir, { recursive: true, force: true });
});

function chain(innerPolicy = pinned(inner), bastionPolicy = pinned(bastion)): SshTarget {
  return {
    ...endpointFor(inner, { type: 'key', keyPath: keys.encrypted }, innerPolicy, 'inner'),
    jumps: [endpointFor(bastion, { type: 'key', keyPath: keys.plain }, bastionPolicy, 'bastion')],
    privilege: 'none',
  };
}

describe('jump hosts', () => {
  it('reaches the target through the bastion (forwardOut), each hop verified with its own policy', async () => {
    const from = bastion.log().length;
    const secrets = new RecordingSecrets({ passphrase: keys.passphrase });
    const s = await connectTarget(chain(), secrets);
    expect(s.hostKeys.map((h) => [h.name, h.port, h.fingerprint])).toEqual([
      ['bastion', bastion.port, bastion.hostKeys['ssh-ed25519']!.fingerprint],
      ['inner', inner.port, inner.hostKeys['ssh-ed25519']!.fingerprint],
    ]);
    expect(secrets.asked).toEqual([{ purpose: 'passphrase', host: 'inner' }]);
    const r = await execCommand(s, 'echo "$SSH_CONNECTION"', { deadlineMs: 5000, maxStdout: 500, maxStderr: 500 });
    // The target sees the connection coming from the bastion's forwarding (loopback both), on its own port.
    expect(r.stdout.toString()).toContain(` ${inner.port}`);
    expect(s.stats()).toEqual({ connections: 1, execChannels: 1 });
    // The bastion's log shows the forwarding request to the target's port.
    expect(bastion.log().slice(from)).toMatch(new RegExp(`direct-tcpip.*127\\.0\\.0\\.1.*port ${inner.port}|target 127\\.0\\.0\\.1 port ${inner.port}`));
    await s.close();
  });

  it('an unknown target key names the target hop; the bastion hop was fine', async () => {
    const e = await rejection(connectTarget(chain({}), new RecordingSecrets({ passphrase: keys.passphrase })));
    expect(e.code).toBe('host_key_unknown');
    expect(e.message).toMatch(/^target: host key of inner \(127\.0\.0\.1:\d+\) is not known/);
    expect(e.message).toContain(inner.hostKeys['ssh-ed25519']!.fingerprint);
  });

  it('a changed bastion key stops at the first hop and never asks for the target passphrase', async () => {
    const secrets = new RecordingSecrets({ passphrase: keys.passphrase });
    const e = await rejection(connectTarget(chain(pinned(inner), pinned(inner)), secrets));
    expect(e.code).toBe('host_key_changed');
    expect(e.message).toMatch(/^jump host 1 of 1: host key of bastion/);
    expect(secrets.asked).toEqual([]);
  });

  it('a target port the bastion cannot reach is connect_refused naming the bastion', async () => {
    const port = await closedPort();
    const t = chain();
    const e = await rejection(connectTarget({ ...t, port }, new RecordingSecrets({ passphrase: keys.passphrase })));
    expect(e.code).toBe('connect_refused');
    expect(e.message).toContain(`jump host 1 of 1 (root@127.0.0.1:${bastion.port}) could not forward to 127.0.0.1:${port}`);
  });

  it('the chain closes together: when the bastion connection goes, the session is closed', async () => {
    const s = await connectTarget(chain(), new RecordingSecrets({ passphrase: keys.passphrase }));
    // Drop the first hop from underneath (what a bastion restart looks like).
    const first = (s as unknown as { chain: { destroy(): void }[] }).chain[0]!;
    first.destroy();
    for (let i = 0; i < 50 && !s.closed; i++) await sleep(20);
    expect(s.closed).toBe(true);
    await expect(execCommand(s, 'true', { deadlineMs: 1000, maxStdout: 10, maxStderr: 10 })).rejects.toMatchObject({ code: 'ssh_error' });
  });

  it('a target resolved from an OpenSSH config (ProxyJump alias, UserKnownHostsFile, IdentityFile) connects', async () => {
    const kh = join(keys.dir, 'cfg_known_hosts');
    writeFileSync(kh, `[127.0.0.1]:${bastion.port} ${bastion.hostKeys['ssh-ed25519']!.line}\n[127.0.0.1]:${inner.port} ${inner.hostKeys['ssh-ed25519']!.line}\n`);
    const cfg = join(keys.dir, 'config');
    writeFileSync(
      cfg,
      [
        'Host inner',
        '  HostName 127.0.0.1',
        `  Port ${inner.port}`,
        `  IdentityFile ${keys.encrypted}`,
        '  ProxyJump jump',
        'Host jump',
        '  HostName 127.0.0.1',
        `  Port ${bastion.port}`,
        `  IdentityFile ${keys.plain}`,
        'Host *',
        '  User root',
        `  UserKnownHostsFile ${kh}`,
        '  StrictHostKeyChecking yes',
      ].join('\n'),
    );
    const { target } = resolveAlias(cfg, 'inner', { home: keys.dir, localUser: 'nobody', env: {} });
    const s = await connectTarget(target, new RecordingSecrets({ passphrase: keys.passphrase }));
    expect(s.hostKeys.map((h) => [h.name, h.acceptedBy])).toEqual([
      ['jump', 'known_hosts'],
      ['inner', 'known_hosts'],
    ]);
    await s.close();
  });

  it('close() ends both connections (both sshd log the disconnect)', async () => {
    const fb = bastion.log().length;
    const fi = inner.log().length;
    const s = await connectTarget(chain(), new RecordingSecrets({ passphrase: keys.passphrase }));
    await s.close();
    const gone = /Received disconnect from 127\.0\.0\.1 port \d+:11: disconnected by user|Disconnected from user root/;
    for (let i = 0; i < 100 && !(gone.test(bastion.log().slice(fb)) && gone.test(inner.log().slice(fi))); i++) await sleep(50);
    expect(bastion.log().slice(fb)).toMatch(gone);
    expect(inner.log().slice(fi)).toMatch(gone);
  });
});
