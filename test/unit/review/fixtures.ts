/**
 * Two workstations for the offline review tests: two real workspace files, each with its own people (real Ed25519
 * keys under passphrases, unlocked as the CLI unlocks them), the real trail and the real finding service. On the
 * first, Ann (consultant) and Ben (second consultant) work on findings from stored scans; on the second, Rita
 * reviews. The passphrases are canaries: no package or answer may hold them.
 */
import { join } from 'node:path';
import { canonicalJson } from '../../../main/audit/canonical.js';
import { recordAudit } from '../../../main/audit/trail.js';
import { findingService, type FindingService } from '../../../main/findings/service.js';
import type { Acting } from '../../../main/people/acting.js';
import { addPerson, unlock } from '../../../main/people/people.js';
import { publicKeyOf } from '../../../main/people/public-keys.js';
import { openWorkspace, type Workspace } from '../../../main/store/db.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import { findingsFixture, type FindingsFixture } from '../findings/fixtures.js';

export const PASS = {
  ann: 'canary-ann-4f1d9e2a',
  ben: 'canary-ben-7c3b0a51',
  rita: 'canary-rita-e81f2c07',
};

export interface Workstations {
  /** The consultants' workstation (with the findings). */
  a: FindingsFixture & { svc: FindingService; ann: Acting; ben: Acting };
  /** The reviewer's workstation: an empty workspace with Rita. */
  b: { ws: Workspace; rita: Acting; path: string };
  /** Two findings of the engagement, in review: authored by Ann (notes edited, a PNG attached) and by Ben. */
  annFinding: string;
  benFinding: string;
  cleanup(): void;
}

export const PNG = Buffer.concat([
  Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
  Buffer.from('screenshot of sshd_config: PermitRootLogin yes'),
]);

export const serviceFor = (ws: Workspace): FindingService =>
  findingService(ws, { recordAudit: recordAudit(ws), publicKeyOf: publicKeyOf(ws) });

export function workstations(): Workstations {
  const fx = findingsFixture();
  addPerson(fx.ws, { name: 'Ann', role: 'consultant', email: 'ann@example.org' }, PASS.ann);
  addPerson(fx.ws, { name: 'Ben', role: 'consultant', email: 'ben@example.org' }, PASS.ben);
  const ann = unlock(fx.ws, 'Ann', PASS.ann);
  const ben = unlock(fx.ws, 'Ben', PASS.ben);
  const svc = serviceFor(fx.ws);
  fx.scan({ db01: { [fx.checks[0]]: 'fail', [fx.checks[1]]: 'fail' }, web01: { [fx.checks[0]]: 'fail' } });
  const annFinding = fx.ws.findings.forCheck(fx.engagementId, fx.checks[0])!.id;
  const benFinding = fx.ws.findings.forCheck(fx.engagementId, fx.checks[1])!.id;
  svc.edit(ann, annFinding, { notes: 'Root logs in with a **password** on db01 and web01.' });
  svc.attach(ann, annFinding, { name: 'sshd.png', bytes: PNG });
  svc.submit(ann, annFinding);
  svc.edit(ben, benFinding, { recommendation: 'Reload sshd after the change.' });
  svc.submit(ben, benFinding);

  const path = join(fx.ws.path, '..', 'reviewer.sqlite');
  const wsB = openWorkspace(path);
  addPerson(wsB, { name: 'Rita', role: 'reviewer', email: 'rita@example.org' }, PASS.rita);
  const rita = unlock(wsB, 'Rita', PASS.rita);
  return {
    a: Object.assign(fx, { svc, ann, ben }),
    b: { ws: wsB, rita, path },
    annFinding,
    benFinding,
    cleanup: () => {
      wsB.close();
      fx.cleanup();
    },
  };
}

export function refusal(fn: () => unknown): FoureyesError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FoureyesError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

/** The bytes with the byte at `at` replaced (XOR `mask`). */
export function flip(bytes: Buffer, at: number, mask = 0x01): Buffer {
  const b = Buffer.from(bytes);
  b[at] = b[at]! ^ mask;
  return b;
}

/** One base64 character (of a random signature or key) changed for another base64 character. */
export function flipBase64(bytes: Buffer, at: number): Buffer {
  const b = Buffer.from(bytes);
  const c = String.fromCharCode(b[at]!);
  if (!/[A-Za-z0-9+/]/.test(c)) throw new Error(`byte ${at} is not a base64 character`);
  b[at] = (c === 'A' ? 'B' : 'A').charCodeAt(0);
  return b;
}

/** Re-serialises a package or answer as Foureyes writes it (canonical JSON), after `edit`. */
export function rewrite(bytes: Buffer, edit: (v: Record<string, unknown>) => void): Buffer {
  const v = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  edit(v);
  return Buffer.from(`${canonicalJson(v)}\n`);
}
