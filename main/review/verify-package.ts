/**
 * Verifying a review package as it arrives, before anything of it is trusted: its form (a refusal names the JSON
 * path), the exporter's key against the stated fingerprint, every finding's content against its content hash
 * (naming the field whose hash no longer matches), each host part's evidence against the hash in the content,
 * each attachment's bytes against their SHA-256 and the attachments the content names, the exporter's signature
 * over the whole, the exporter's checkpoint, and at last the bytes themselves (exactly the canonical form).
 */
import { FoureyesError } from '../../shared/model/errors.js';
import { canonicalJson, contentHash, sha256Hex } from '../findings/content.js';
import { detectMediaType } from '../findings/media-type.js';
import {
  CONTENT_FIELDS,
  MAX_PACKAGE_BYTES,
  ReviewPackageSchema,
  type PackageFinding,
  type ReviewPackage,
} from './format.js';
import { fieldHashes } from './package.js';
import { checkCanonical, decodeBase64, readSigned, shown } from './signed-file.js';
import {
  checkFileSignature,
  checkSigner,
  checkSignerCheckpoint,
  type CheckedSigner,
} from './verify-signer.js';

const WHAT = 'review package';

export interface VerifiedPackage {
  pkg: ReviewPackage;
  exporter: CheckedSigner;
  /** SHA-256 of the file. */
  sha256: string;
}

const refuse = (path: string, message: string): never => {
  throw new FoureyesError('bad_input', `this ${WHAT} is refused: ${path} ${message}`, { path });
};

export function verifyPackage(bytes: Uint8Array): VerifiedPackage {
  const pkg = readSigned(bytes, ReviewPackageSchema, WHAT, MAX_PACKAGE_BYTES);
  const exporter = checkSigner(pkg.exporter, 'exporter', WHAT);
  const seen = new Set<string>();
  pkg.findings.forEach((f, i) => {
    if (seen.has(f.content.id)) refuse(`findings[${i}]`, `repeats finding ${f.content.id}`);
    seen.add(f.content.id);
    checkFinding(f, i);
  });
  checkFileSignature(pkg, exporter, WHAT);
  checkSignerCheckpoint(pkg.checkpoint, pkg.exporter.personId, exporter, WHAT);
  checkCanonical(bytes, pkg, WHAT);
  return { pkg, exporter, sha256: sha256Hex(bytes) };
}

/** One finding: its content against its hashes, evidence and attachments against the content. */
function checkFinding(f: PackageFinding, i: number): void {
  const at = `findings[${i}]`;
  const which = `finding "${shown(f.content.title)}", ${f.content.id}`;
  const now = fieldHashes(f.content);
  const changed = CONTENT_FIELDS.filter((k) => now[k] !== f.fieldHashes[k]);
  if (changed.length > 0)
    refuse(
      `${at}.content.${changed[0]}`,
      `(${which}) does not match the hash the exporter signed: ${changed.map((k) => `content.${k}`).join(', ')} changed`,
    );
  if (contentHash(f.content) !== f.contentHash)
    refuse(`${at}.contentHash`, `(${which}) is not the hash of the finding's content`);
  if (f.revision !== f.content.revision)
    refuse(
      `${at}.revision`,
      `(${which}) is ${f.revision}, but the content is of revision ${f.content.revision}`,
    );

  if (f.evidence.length !== f.content.hosts.length)
    refuse(
      `${at}.evidence`,
      `(${which}) holds ${f.evidence.length} host parts, the content names ${f.content.hosts.length}`,
    );
  f.content.hosts.forEach((h, j) => {
    const e = f.evidence[j]!;
    const where = `${at}.evidence[${j}]`;
    const part = `${which}, host "${shown(h.name)}", check ${shown(h.checkId)}`;
    if (e.checkId !== h.checkId || e.name !== h.name)
      refuse(where, `(${part}) is the evidence of another host part`);
    if (sha256Hex(canonicalJson({ actual: e.actual, evidence: e.evidence })) !== h.evidenceSha256)
      refuse(where, `(${part}) does not match the evidence hash in the finding's content`);
  });

  const named = f.content.attachments.map((a) => `${a.sha256}\0${a.name}`).sort();
  const carried = f.attachments.map((a) => `${a.sha256}\0${a.name}`).sort();
  f.attachments.forEach((a, k) => {
    const where = `${at}.attachments[${k}]`;
    const file = `${which}, attachment "${shown(a.name)}"`;
    const data = decodeBase64(a.data, `${where}.data`, WHAT);
    if (sha256Hex(data) !== a.sha256) refuse(`${where}.data`, `(${file}) does not match its SHA-256`);
    if (data.length !== a.size)
      refuse(`${where}.size`, `(${file}) is ${a.size}, the data is ${data.length} bytes`);
    if (detectMediaType(data) !== a.mediaType)
      refuse(`${where}.mediaType`, `(${file}) is ${a.mediaType}, but the content is not`);
  });
  if (canonicalJson(named) !== canonicalJson(carried))
    refuse(`${at}.attachments`, `(${which}) are not the attachments the finding's content names`);
}
