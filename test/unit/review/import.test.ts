import { generateKeyPairSync, sign } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../main/audit/canonical.js';
import { verifyTrail } from '../../../main/audit/verify.js';
import { addColleague, addPerson, profileOf } from '../../../main/people/people.js';
import { fingerprintOf } from '../../../main/people/keys.js';
import { importReviewPackage } from '../../../main/review/import.js';
import { exportReviewPackage } from '../../../main/review/package.js';
import { flip, flipBase64, PASS, PNG, refusal, rewrite, workstations, type Workstations } from './fixtures.js';

describe('importing a review package on another workstation', () => {
  let w: Workstations;
  let bytes: Buffer;
  beforeEach(() => {
    w = workstations();
    bytes = exportReviewPackage(w.a.ws, w.a.ann, { engagementId: w.a.engagementId }).bytes;
  });
  afterEach(() => w.cleanup());

  it('stores the package as a review to do, without creating findings; the exporter becomes a colleague', () => {
    const { ws, rita } = w.b;
    const events = ws.audit.count();
    const got = importReviewPackage(ws, bytes, { acting: rita });
    expect(got).toMatchObject({ exporter: { name: 'Ann' }, exporterStatus: 'added', alreadyImported: false });
    expect(got.findings.map((f) => f.id).sort()).toEqual([w.annFinding, w.benFinding].sort());
    expect(got.findings.find((f) => f.id === w.annFinding)!.attachments).toEqual([
      { name: 'sshd.png', mediaType: 'image/png', size: PNG.length },
    ]);
    expect(ws.db.prepare('SELECT count(*) FROM finding').pluck().get()).toBe(0);
    expect(ws.reviewPackages.list()).toHaveLength(1);
    const ann = ws.people.byName('Ann')!;
    expect(ann).toMatchObject({ origin: 'imported', fingerprint: w.a.ws.people.byName('Ann')!.fingerprint });
    expect(ws.audit.count()).toBe(events + 2); // person.import, review.import
    expect(ws.audit.forObject('review_package', got.id)[0]).toMatchObject({
      action: 'review.import',
      actor_name: 'Rita',
    });
    expect(verifyTrail(ws).ok).toBe(true);

    // the same file again changes nothing
    expect(importReviewPackage(ws, bytes, { acting: rita })).toMatchObject({
      alreadyImported: true,
      exporterStatus: 'known',
    });
    expect(ws.audit.count()).toBe(events + 2);
  });

  it('without anyone acting, stores it and leaves the exporter to be added when it is answered', () => {
    const got = importReviewPackage(w.b.ws, bytes);
    expect(got.exporterStatus).toBe('unknown');
    expect(w.b.ws.people.byName('Ann')).toBeUndefined();
    expect(w.b.ws.reviewPackages.get(got.id)).toMatchObject({
      importedBy: null,
      exporterName: 'Ann',
      findings: 2,
    });
  });

  const at = (needle: string, plus = 0): number => {
    const i = bytes.indexOf(needle);
    expect(i).toBeGreaterThan(0);
    return i + plus;
  };

  it("refuses one changed byte in a finding's notes, naming the finding and the field", () => {
    const e = refusal(() => importReviewPackage(w.b.ws, flip(bytes, at('**password**', 2))));
    expect(e.code).toBe('bad_input');
    expect(e.message).toMatch(
      /^this review package is refused: findings\[\d\]\.content\.notes \(finding ".+", [0-9a-f-]{36}\) does not match the hash the exporter signed: content\.notes changed$/,
    );
    expect(e.message).toContain(w.annFinding);
    expect(w.b.ws.reviewPackages.list()).toEqual([]);
  });

  it('refuses one changed byte in an attachment', () => {
    const data = PNG.toString('base64');
    // a letter for another letter: still base64, other bytes
    const e = refusal(() => importReviewPackage(w.b.ws, flip(bytes, at(data, 30), 0x02)));
    expect(e.message).toMatch(
      /findings\[\d\]\.attachments\[0\]\.data \(finding ".+", .+, attachment "sshd\.png"\) does not match its SHA-256/,
    );
  });

  it('refuses one changed byte in the signature, and in the public key', () => {
    const sig = bytes.lastIndexOf('"signature":"') + '"signature":"'.length + 10;
    expect(refusal(() => importReviewPackage(w.b.ws, flipBase64(bytes, sig))).message).toMatch(
      /^this review package is refused: its signature does not verify with the key of Ann \(SHA256:.+\): the review package was changed after it was signed/,
    );
    // the key's bytes inside the PEM (after the SPKI prefix of Ed25519 keys)
    const key = at('MCowBQYDK2VwAyEA', 20);
    expect(refusal(() => importReviewPackage(w.b.ws, flipBase64(bytes, key))).message).toMatch(
      /^this review package is refused: (exporter\.profile\.fingerprint is not the fingerprint of exporter\.profile\.publicKey|exporter\.profile\.publicKey is not a public key)/,
    );
  });

  it('refuses every one-byte change, wherever it is', () => {
    const step = Math.max(1, Math.floor(bytes.length / 400));
    let tried = 0;
    for (let i = 0; i < bytes.length; i += step) {
      for (const mask of [0x01, 0x20]) {
        const e = refusal(() => importReviewPackage(w.b.ws, flip(bytes, i, mask)));
        expect(e.code, `byte ${i}`).toBe('bad_input');
        expect(e.message, `byte ${i}`).toMatch(/^this review package is (refused|malformed): /);
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(700);
    expect(w.b.ws.reviewPackages.list()).toEqual([]);
  });

  it('refuses a swapped signature: the signature of another package by the same exporter', () => {
    const other = exportReviewPackage(w.a.ws, w.a.ann, {
      engagementId: w.a.engagementId,
      findingIds: [w.benFinding],
    });
    const otherSig = (JSON.parse(other.bytes.toString('utf8')) as { signature: string }).signature;
    const swapped = rewrite(bytes, (v) => (v.signature = otherSig));
    expect(refusal(() => importReviewPackage(w.b.ws, swapped)).message).toMatch(
      /its signature does not verify with the key of Ann/,
    );
  });

  it('refuses an exporter known here with another key, and a package re-signed by another key in the name of Ann', () => {
    // someone makes a key of their own, names it Ann and signs the package with it
    const mallory = generateKeyPairSync('ed25519');
    const forge = (alsoCheckpoint: boolean) =>
      rewrite(bytes, (v) => {
        const profile = (v.exporter as { profile: Record<string, string> }).profile;
        profile.publicKey = mallory.publicKey.export({ type: 'spki', format: 'pem' }) as string;
        profile.fingerprint = fingerprintOf(mallory.publicKey);
        if (alsoCheckpoint) {
          const cp = v.checkpoint as Record<string, unknown>;
          const { signature: _s, ...body } = cp;
          cp.signature = sign(
            null,
            Buffer.from(canonicalJson({ format: 'foureyes-checkpoint/1', ...body })),
            mallory.privateKey,
          ).toString('base64');
        }
        delete v.signature;
        v.signature = sign(null, Buffer.from(canonicalJson(v)), mallory.privateKey).toString('base64');
      });
    // the checkpoint left as it was is Ann's, signed with her real key
    expect(refusal(() => importReviewPackage(w.b.ws, forge(false))).message).toMatch(
      /^this review package is refused: its checkpoint \(\d+ events, head [0-9a-f]{12}…\) does not carry the signature of Ann$/,
    );
    // forged throughout: only knowing Ann's key tells; Rita has imported Ann's real profile before
    const forged = forge(true);
    expect(importReviewPackage(w.b.ws, forged).exporterStatus).toBe('unknown'); // in a workspace that knows no Ann
    w.b.ws.db.prepare('DELETE FROM review_package').run();
    addColleague(w.b.ws, profileOf(w.a.ws.people.byName('Ann')!), w.b.rita);
    expect(refusal(() => importReviewPackage(w.b.ws, forged)).message).toMatch(
      /^this review package is refused: its exporter Ann is known to this workspace with another key \(SHA256:.+\), and the review package is signed with SHA256:.+, which is not Ann's$/,
    );
    expect(importReviewPackage(w.b.ws, bytes).exporterStatus).toBe('known');

    // the exporter's name held by a person of this workstation with another key
    addPerson(w.b.ws, { name: 'Ben', role: 'reviewer', email: 'ben@example.net' }, PASS.rita);
    const ben = exportReviewPackage(w.a.ws, w.a.ben, { engagementId: w.a.engagementId }).bytes;
    expect(refusal(() => importReviewPackage(w.b.ws, ben)).message).toMatch(
      /^this review package is refused: its exporter Ben is known to this workspace with another key \(SHA256:.+\), and the review package is signed with SHA256:.+, which is not Ben's$/,
    );
  });

  it('refuses a malformed file with the JSON path, and what is not JSON', () => {
    const noTitle = rewrite(
      bytes,
      (v) => delete (v.findings as { content: Record<string, unknown> }[])[1]!.content.title,
    );
    expect(refusal(() => importReviewPackage(w.b.ws, noTitle)).message).toMatch(
      /^this review package is malformed: at findings\[1\]\.content\.title: /,
    );
    const badHost = rewrite(bytes, (v) => {
      (v.findings as { content: { hosts: { state: string }[] } }[])[0]!.content.hosts[0]!.state = 'gone';
    });
    expect(refusal(() => importReviewPackage(w.b.ws, badHost)).message).toMatch(
      /at findings\[0\]\.content\.hosts\[0\]\.state: /,
    );
    const extra = rewrite(bytes, (v) => (v.note = 'hello'));
    expect(refusal(() => importReviewPackage(w.b.ws, extra)).message).toMatch(
      /malformed: at \(the whole file\): .*note/,
    );
    expect(refusal(() => importReviewPackage(w.b.ws, Buffer.from('{"format":'))).message).toMatch(
      /it is not JSON/,
    );
    expect(refusal(() => importReviewPackage(w.b.ws, Buffer.from([0x7b, 0xff, 0x7d]))).message).toMatch(
      /not UTF-8 text \(byte 1 is not valid UTF-8\)/,
    );
    const spaced = Buffer.from(JSON.stringify(JSON.parse(bytes.toString('utf8')), null, 1));
    expect(refusal(() => importReviewPackage(w.b.ws, spaced)).message).toMatch(
      /its bytes are not the form Foureyes writes \(from byte 1 on\)/,
    );
  });
});
