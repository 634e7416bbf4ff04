/**
 * Hostile file names on the lab's hostile host, collected through Foureyes' own SSH transport in one exec:
 * `/etc/app<newline><svg onload=alert(1)>.conf` (world-writable) and a SUID `id` whose name holds terminal escapes
 * are each reported once, exactly, as root and unprivileged. The expected lists are read from the host's root file
 * system on the machine, not written down.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../main/catalogue/load.js';
import { collectFacts } from '../../main/collector/collect.js';
import { evaluateCheck } from '../../main/engine/evaluate.js';
import { SshTransport } from '../../main/transport/ssh.js';
import { nameBytes, nameText } from '../../shared/facts/names.js';
import type { FactSnapshot, PathsFact } from '../../shared/facts/snapshot.js';
import type { SshTarget } from '../../shared/model/target.js';
import { ensureLab, labAvailable, labHost, labUnavailableReason, type LabManifest } from './lab.js';

const WW = '/etc/app\\x0a<svg onload=alert(1)>.conf';
const SUID = '/usr/local/bin/id-\\x1b[31mred\\x1b]0;pwned\\x07';
// Mount points inside the host (its own proc, sysfs, tmpfs): not part of its root directory on the machine.
const MOUNTED = new Set(['proc', 'sys', 'dev', 'run']);

/** Every entry under `dir` (bytes of its path relative to the host root), with its lstat. */
function walk(root: Buffer, rel: Buffer, out: { rel: Buffer; mode: number; file: boolean; dir: boolean }[]): void {
  for (const name of readdirSync(Buffer.concat([root, rel]), { encoding: 'buffer' })) {
    const r = Buffer.concat([rel, Buffer.from('/'), name]);
    if (rel.length === 0 && MOUNTED.has(name.toString('latin1'))) continue;
    const st = lstatSync(Buffer.concat([root, r]));
    out.push({ rel: r, mode: st.mode, file: st.isFile(), dir: st.isDirectory() });
    if (st.isDirectory()) walk(root, r, out);
  }
}

describe.skipIf(!labAvailable())(`hostile names on the lab${labAvailable() ? '' : ` (skipped: ${labUnavailableReason()})`}`, () => {
  let m: LabManifest;
  let expectWW: string[];
  let expectSuid: string[];
  const open: SshTransport[] = [];
  const catalogue = loadCatalogue();

  beforeAll(async () => {
    m = await ensureLab();
    const entries: Parameters<typeof walk>[2] = [];
    walk(Buffer.from(labHost(m, 'hostile').root), Buffer.alloc(0), entries);
    const text = (e: (typeof entries)[number]) => nameText(e.rel);
    expectWW = entries.filter((e) => e.rel.toString('latin1').startsWith('/etc/') && (e.file || e.dir) && (e.mode & 0o002) !== 0).map(text).sort();
    expectSuid = entries.filter((e) => e.file && (e.mode & 0o6000) !== 0).map(text).sort();
  });
  afterAll(async () => {
    await Promise.all(open.map((t) => t.close()));
  });

  async function collect(privilege: SshTarget['privilege']): Promise<{ s: FactSnapshot; t: SshTransport }> {
    const h = labHost(m, 'hostile');
    const t = new SshTransport(
      {
        name: h.name,
        address: h.address,
        port: h.port,
        user: h.user,
        auth: { type: 'key', keyPath: h.keyPath },
        hostKey: { knownHostsFiles: [m.knownHosts], acceptNew: false },
        jumps: [],
        privilege,
      },
      { get: async () => undefined },
    );
    open.push(t);
    const { snapshot } = await collectFacts(t, ['fs.etc_world_writable', 'fs.suid', 'fs.etc_unowned']);
    return { s: snapshot, t };
  }
  const paths = (s: FactSnapshot, id: string) => (s.facts[id] as PathsFact).paths;
  const check = (id: string) => {
    const c = catalogue.byId.get(id);
    if (!c) throw new Error(id);
    return c;
  };

  it('the host holds the hostile names (as bytes)', () => {
    expect(expectWW).toContain(WW);
    expect(expectSuid).toContain(SUID);
    expect(Buffer.from(nameBytes(WW) ?? []).toString('latin1')).toBe('/etc/app\n<svg onload=alert(1)>.conf');
  });

  for (const privilege of ['auto', 'none'] as const) {
    it(`reports each name once, exactly, in one exec (privilege ${privilege})`, async () => {
      const { s, t } = await collect(privilege);
      expect(s.complete, JSON.stringify(s.issues)).toBe(true);
      expect(t.stats().execChannels).toBe(1);
      expect([...paths(s, 'fs.etc_world_writable')].sort()).toEqual(expectWW);
      expect([...paths(s, 'fs.suid')].sort()).toEqual(expectSuid);
      expect(paths(s, 'fs.etc_unowned')).toEqual(['/etc/legacy-app.conf']);

      const ww = evaluateCheck(s, check('fs-etc-world-writable'));
      expect(ww.verdict).toBe('fail');
      expect(ww.evidence.map((e) => e.path).sort()).toEqual(expectWW);
      expect(ww.evidence.filter((e) => e.path === WW)).toHaveLength(1);
      expect(ww.evidence.some((e) => e.path === '/etc/app' || e.path === '<svg onload=alert(1)>.conf')).toBe(false);
      expect(ww.actual).toContain(WW);

      const suid = evaluateCheck(s, check('fs-suid-unexpected'));
      expect(suid.verdict).toBe('fail');
      const flagged = suid.evidence.map((e) => e.path ?? '');
      expect(flagged).toEqual(expect.arrayContaining(['/usr/local/bin/id-helper', SUID]));
      expect(flagged.filter((p) => p === SUID)).toHaveLength(1);
      for (const p of flagged) expect(expectSuid).toContain(p);
      // Nothing raw reaches a display: no control character in what the engine reports.
      // eslint-disable-next-line no-control-regex -- looking for control characters is the point
      for (const text of [ww.actual, suid.actual, ...flagged]) expect(text).not.toMatch(/[\x00-\x1f\x7f]/);
    });
  }
});
