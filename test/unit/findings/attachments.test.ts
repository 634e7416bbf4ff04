import { deflateSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findingService, type FindingService } from '../../../main/findings/service.js';
import { ATTACHMENT_MAX_BYTES } from '../../../shared/model/finding.js';
import { collectAudit, keysOf, makePerson } from '../../support/acting.js';
import { findingsFixture, type FindingsFixture } from './fixtures.js';

const ann = makePerson('Ann');
const bea = makePerson('Bea');

/** A real 1x1 PNG (signature, IHDR, IDAT, IEND; CRCs not checked by the detector but written as zero). */
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type, 'ascii'), data, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The start of a Windows PE executable: MZ header, DOS stub, PE signature. */
function exe(): Buffer {
  const b = Buffer.alloc(256);
  b.write('MZ', 0, 'ascii');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('This program cannot be run in DOS mode.', 0x4e, 'ascii');
  b.write('PE\0\0', 0x80, 'binary');
  return b;
}

describe('attachments', () => {
  let fx: FindingsFixture;
  let svc: FindingService;
  let findingId: string;
  beforeEach(() => {
    fx = findingsFixture();
    svc = findingService(fx.ws, { recordAudit: collectAudit().record, publicKeyOf: keysOf(ann, bea) });
    fx.scan({ db01: { [fx.checks[0]]: 'fail' } });
    findingId = fx.ws.findings.forCheck(fx.engagementId, fx.checks[0])!.id;
  });
  afterEach(() => fx.cleanup());

  it('are typed by their content: a PNG named .pdf is a PNG; PDF, JPEG, GIF, WebP and text are recognised', () => {
    const shot = png();
    const a = svc.attach(ann.acting, findingId, { name: 'C:\\Users\\ann\\evidence.pdf', bytes: shot });
    expect(a).toMatchObject({ name: 'evidence.pdf', mediaType: 'image/png', size: shot.length, addedBy: 'p-ann' });
    expect(svc.attachmentBytes(a.id).bytes.equals(shot)).toBe(true);
    const kinds: [string, Buffer, string][] = [
      ['report.png', Buffer.from('%PDF-1.7\n%\xe2\xe3\n1 0 obj\n', 'latin1'), 'application/pdf'],
      ['photo.txt', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]), 'image/jpeg'],
      ['anim.webp', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'), 'image/gif'],
      ['x.gif', Buffer.concat([Buffer.from('RIFF'), Buffer.from([4, 0, 0, 0]), Buffer.from('WEBPVP8 ')]), 'image/webp'],
      ['notes.exe', Buffer.from('sshd -T output\nPermitRootLogin yes\n'), 'text/plain'],
    ];
    for (const [name, bytes, type] of kinds) expect(svc.attach(ann.acting, findingId, { name, bytes }).mediaType).toBe(type);
    expect(svc.get(findingId).attachments).toHaveLength(6);
  });

  it('refuses an executable named .png, an oversized file and a name with control characters, storing nothing', () => {
    expect(() => svc.attach(ann.acting, findingId, { name: 'screenshot.png', bytes: exe() })).toThrow(
      'attachment "screenshot.png" is not PNG, JPEG, GIF, WebP, PDF or plain text (a Windows executable); the type is read from the content, not the name',
    );
    const elf = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
    expect(() => svc.attach(ann.acting, findingId, { name: 'a.txt', bytes: elf })).toThrow(/an ELF executable/);
    const big = Buffer.concat([png(), Buffer.alloc(ATTACHMENT_MAX_BYTES)]);
    expect(() => svc.attach(ann.acting, findingId, { name: 'big.png', bytes: big })).toThrow(
      `attachment "big.png" is ${big.length} bytes; attachments are at most 10 MB (10485760 bytes)`,
    );
    expect(() => svc.attach(ann.acting, findingId, { name: 'a\u001b[31m.png', bytes: png() })).toThrow(
      'attachment name "a\\x1b[31m.png" contains control characters',
    );
    expect(() => svc.attach(ann.acting, findingId, { name: 'empty.txt', bytes: Buffer.alloc(0) })).toThrow(/is empty/);
    expect(svc.get(findingId).attachments).toEqual([]);
    expect(fx.ws.findings.require(findingId).revision).toBe(1);
  });

  it('adding or removing one is an edit: a new revision, the adder an author, an approval voided', () => {
    svc.submit(ann.acting, findingId);
    svc.approve(bea.acting, findingId);
    const a = svc.attach(ann.acting, findingId, { name: 'shot.png', bytes: png() });
    expect(fx.ws.findings.require(findingId)).toMatchObject({ reviewState: 'in_review', revision: 2 });
    expect(svc.get(findingId).authors).toEqual(['p-ann']);
    expect(svc.history(findingId).map((c) => c.field).slice(-2)).toEqual(['attachment', 'review']);
    svc.approve(bea.acting, findingId);
    svc.detach(ann.acting, a.id);
    expect(fx.ws.findings.require(findingId)).toMatchObject({ reviewState: 'in_review', revision: 3 });
    expect(svc.history(findingId).at(-2)).toMatchObject({ field: 'attachment', before: { name: 'shot.png' }, after: null });
  });
});
