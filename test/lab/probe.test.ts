/**
 * hostKey.probe against the lab's real OpenSSH hosts: the presented key equals the one the lab recorded in its
 * known_hosts file, and the inner host (reachable only through the bastion) is probed through the bastion once the
 * bastion's own key was accepted.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FoureyesError } from '../../shared/model/errors.js';
import { hostKeyService } from '../../main/services/host-keys.js';
import { fingerprintSha256 } from '../../main/ssh/key-blob.js';
import { openWorkspace, type Workspace } from '../../main/store/db.js';
import { ensureLab, labHost, type LabHost, type LabManifest } from './lab.js';

/** Fingerprints per key type of the lab's known_hosts lines for one address. */
function knownFingerprints(file: string, address: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [host, type, b64] = line.trim().split(/\s+/);
    if (host === address && type && b64) out.set(type, fingerprintSha256(Buffer.from(b64, 'base64')));
  }
  return out;
}

describe('host key probe against the lab', () => {
  let m: LabManifest;
  let dir: string;
  let ws: Workspace;
  let engagementId: string;

  beforeAll(async () => {
    m = await ensureLab();
    dir = mkdtempSync(join(tmpdir(), 'fe-lab-probe-'));
    ws = openWorkspace(join(dir, 'ws.sqlite'));
    engagementId = ws.engagements.create({ name: 'Lab probe' }).id;
  }, 180_000);
  afterAll(() => {
    ws?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const add = (h: LabHost, jumpHostId?: string) =>
    ws.hosts.add(engagementId, {
      name: h.name,
      address: h.address,
      port: h.port,
      user: h.user,
      auth: { type: 'key', keyPath: h.keyPath },
      ...(jumpHostId ? { jumpHostId } : {}),
    });

  it('careless: the presented key is the one in the lab known_hosts file', async () => {
    const careless = labHost(m, 'careless');
    const h = add(careless);
    // Without the lab file: nothing known.
    const bare = await hostKeyService(ws, { knownHostsFiles: [join(dir, 'none')] }).probe({ hostId: h.id });
    const known = knownFingerprints(m.knownHosts, careless.address);
    expect(bare.status).toBe('unknown');
    expect(known.get(bare.algorithm)).toBe(bare.fingerprint);
    // With it: match (the key type listed first in the file is asked for first), every listed key is expected.
    const withFile = await hostKeyService(ws, { knownHostsFiles: [m.knownHosts] }).probe({ hostId: h.id });
    expect(withFile.status).toBe('match');
    expect(known.get(withFile.algorithm)).toBe(withFile.fingerprint);
    expect(withFile.algorithm).toBe([...known.keys()][0]);
    expect(new Set(withFile.expected)).toEqual(new Set(known.values()));
    // The manifest's own record of the host's keys agrees.
    expect(careless.hostKeys.map((k) => k.fingerprint)).toContain(bare.fingerprint);
  }, 60_000);

  it('inner through bastion: refused until the bastion key is accepted, then the inner key', async () => {
    const svc = hostKeyService(ws, { knownHostsFiles: [join(dir, 'none')] });
    const bastion = add(labHost(m, 'bastion'));
    const inner = add(labHost(m, 'inner'), bastion.id);

    const refused = await Promise.resolve()
      .then(() => svc.probe({ hostId: inner.id }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(refused).toBeInstanceOf(FoureyesError);
    expect((refused as FoureyesError).code).toBe('host_key_unknown');
    expect((refused as FoureyesError).message).toContain('accept the host key of jump host bastion first');

    const b = await svc.probe({ hostId: bastion.id });
    expect(knownFingerprints(m.knownHosts, labHost(m, 'bastion').address).get(b.algorithm)).toBe(
      b.fingerprint,
    );
    await svc.accept({ hostId: bastion.id, fingerprint: b.fingerprint });

    const r = await svc.probe({ hostId: inner.id });
    expect(r.status).toBe('unknown');
    expect(knownFingerprints(m.knownHosts, labHost(m, 'inner').address).get(r.algorithm)).toBe(r.fingerprint);
    await svc.accept({ hostId: inner.id, fingerprint: r.fingerprint });
    expect(await svc.probe({ hostId: inner.id })).toMatchObject({
      status: 'match',
      expected: [r.fingerprint],
    });
  }, 60_000);
});
