/**
 * The Confluence bundle on disk: pages/*.xml (one standalone XML document per page), attachments/*, manifest.json
 * (the page tree), README.txt (how to publish it from a connected machine) and integrity.json: the SHA-256 and size
 * of every other file, signed (Ed25519, over the canonical JSON, as review packages are: ../../review/signed-file.ts)
 * by the person exporting, with their public key and fingerprint. `--zip` writes the same files into a zip (fflate;
 * fixed times, so the same bundle gives the same bytes). `verifyBundle` checks a folder or a zip against its
 * integrity manifest and names every changed, missing and extra file.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { z } from 'zod';
import { FoureyesError } from '../../../shared/model/errors.js';
import type { Acting } from '../../people/acting.js';
import { fingerprintOf, signatureValid } from '../../people/keys.js';
import { checkCanonical, readSigned, signedBytes, writeSigned } from '../../review/signed-file.js';
import type { BuiltAttachment, BuiltPage } from './pages.js';

export const MANIFEST_FORMAT = 'foureyes-confluence/1';
export const INTEGRITY_FORMAT = 'foureyes-bundle-integrity/1';
export const INTEGRITY_FILE = 'integrity.json';
const MAX_INTEGRITY = 16 * 1024 * 1024;
const MAX_BUNDLE = 2 * 1024 * 1024 * 1024;

const README = `Foureyes Confluence bundle
==========================

manifest.json lists the pages as a tree: each page's id, title (unique within a space), parent (null for the
root), order among its siblings, file (pages/<id>.xml) and attachments (files under attachments/).

Each pages/<id>.xml is a standalone XML document; the page body in Confluence storage format is the content of
its root element <foureyes-page> (the ac: and ri: namespaces are declared there for checking; Confluence declares
them itself).

Check the bundle first, on any machine with Foureyes:

    foureyes bundle verify THIS_FOLDER_OR_ZIP

To publish it later, from a machine with Foureyes that reaches the Confluence server:

    foureyes publish confluence --bundle THIS_FOLDER_OR_ZIP --url https://CONFLUENCE --space KEY [--parent PAGE_ID] [--token-file FILE]

The API token comes from --token-file (a file only you can read), the environment variable
FOUREYES_CONFLUENCE_TOKEN, or is asked for; on Atlassian Cloud add --user EMAIL (and /wiki to the URL). --dry-run
says what would change without changing anything. The bundle is verified first; a page of the same title in the
space is updated rather than duplicated, and a page that did not change is left alone, so the command can be run
again. If it stops half-way, THIS_FOLDER_OR_ZIP.publish.json beside the bundle records what was done, and the same
command continues from there.

Without Foureyes, the same over the REST API, for each page in manifest order (parents first):

1. POST /rest/api/content with {"type":"page","title":TITLE,"space":{"key":SPACE},
   "ancestors":[{"id":ID_OF_PARENT}] (none for the root),
   "body":{"storage":{"value":BODY,"representation":"storage"}}}; if a page of that title exists in the space
   (GET /rest/api/content?spaceKey=SPACE&title=TITLE&expand=version), PUT /rest/api/content/ID instead with
   "version":{"number":CURRENT+1}.
2. Upload each of its attachments: POST /rest/api/content/ID/child/attachment (multipart, field "file"), with
   the header X-Atlassian-Token: no-check.

Pages refer to each other by title (ac:link / ri:page) and to their attachments by file name
(ri:attachment), so links resolve once every page is in the space.
`;

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

export interface BundleFile {
  path: string;
  bytes: Buffer;
}

/** The files of a bundle (integrity.json last), signed by `acting` whose public key is `publicKeyPem`. */
export function bundleFiles(
  o: {
    manifest: Record<string, unknown>;
    pages: readonly BuiltPage[];
    attachments: readonly BuiltAttachment[];
    at: string;
  },
  acting: Acting,
  publicKeyPem: string,
): BundleFile[] {
  const files: BundleFile[] = [
    { path: 'README.txt', bytes: Buffer.from(README, 'utf8') },
    ...o.pages.map((p) => ({ path: p.file, bytes: Buffer.from(p.xml, 'utf8') })),
    ...o.attachments.map((a) => ({ path: a.file, bytes: a.bytes })),
  ];
  files.push({
    path: 'manifest.json',
    bytes: Buffer.from(`${JSON.stringify(o.manifest, null, 2)}\n`, 'utf8'),
  });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const body = {
    format: INTEGRITY_FORMAT,
    at: o.at,
    signer: {
      ...acting.actor,
      publicKey: publicKeyPem,
      fingerprint: fingerprintOf(createPublicKey(publicKeyPem)),
    },
    files: files.map((f) => ({ path: f.path, sha256: sha256(f.bytes), size: f.bytes.length })),
  };
  files.push({ path: INTEGRITY_FILE, bytes: writeSigned(body, acting).bytes });
  return files;
}

/** Writes the bundle into the folder `dir` (created; it must not exist or be empty). */
export function writeBundleDir(dir: string, files: readonly BundleFile[]): void {
  if (existsSync(dir) && (!lstatSync(dir).isDirectory() || readdirSync(dir).length > 0))
    throw new FoureyesError(
      'bad_input',
      `--out: ${dir} exists and is not an empty folder; give a new folder`,
    );
  try {
    for (const f of files) {
      const path = join(dir, ...f.path.split('/'));
      mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
      writeFileSync(path, f.bytes, { mode: 0o600, flag: 'wx' });
    }
  } catch (e) {
    throw new FoureyesError(
      'bad_input',
      `--out: cannot write the bundle into ${dir} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

/** The zip of the bundle's files (stored at the zip's root, a fixed date, deflated). */
export function bundleZip(files: readonly BundleFile[]): Buffer {
  const entries: Record<string, [Uint8Array, { mtime: Date }]> = {};
  for (const f of files) entries[f.path] = [f.bytes, { mtime: new Date('2000-01-01T00:00:00Z') }];
  return Buffer.from(zipSync(entries, { level: 6 }));
}

const IntegritySchema = z.strictObject({
  format: z.literal(INTEGRITY_FORMAT),
  at: z.string().max(40),
  signer: z.strictObject({
    personId: z.string().min(1).max(64),
    name: z.string().min(1).max(200),
    publicKey: z.string().max(1000),
    fingerprint: z.string().max(200),
  }),
  files: z
    .array(
      z.strictObject({
        path: z.string().min(1).max(500),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        size: z.number().int().min(0),
      }),
    )
    .max(1_000_000),
  signature: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/)
    .max(200),
});

export interface BundleCheck {
  ok: boolean;
  signer: { name: string; fingerprint: string } | null;
  files: number;
  changed: string[];
  missing: string[];
  extra: string[];
  /** Why the bundle does not verify as a whole (a bad signature), if so. */
  problem: string | null;
}

function readDir(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let total = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const st = lstatSync(full);
      const rel = relative(dir, full).split(sep).join('/');
      if (st.isDirectory()) walk(full);
      else {
        total += st.size;
        if (total > MAX_BUNDLE)
          throw new FoureyesError(
            'bad_input',
            `${dir}: more than ${MAX_BUNDLE} bytes, not a bundle Foureyes writes`,
          );
        out.set(rel, st.isFile() ? readFileSync(full) : Buffer.alloc(0));
      }
    }
  };
  walk(dir);
  return out;
}

/** Reads a bundle from the bytes of its zip (`path` names it in messages). */
export function readZip(bytes: Uint8Array, path: string): Map<string, Buffer> {
  let entries: Record<string, Uint8Array>;
  let claimed = 0;
  let count = 0;
  try {
    // Bounded before anything is inflated: what the entries say they hold, and how many there are.
    entries = unzipSync(bytes, {
      filter: (f) => {
        claimed += f.originalSize;
        count += 1;
        if (claimed > MAX_BUNDLE || count > 1_000_000)
          throw new FoureyesError(
            'bad_input',
            `${path} holds more than ${MAX_BUNDLE} bytes or a million files: not a bundle Foureyes writes`,
          );
        return true;
      },
    });
  } catch (e) {
    if (e instanceof FoureyesError) throw e;
    throw new FoureyesError(
      'bad_input',
      `${path} is not a zip file Foureyes can read (${(e as Error).message})`,
    );
  }
  const out = new Map<string, Buffer>();
  for (const [name, b] of Object.entries(entries)) if (!name.endsWith('/')) out.set(name, Buffer.from(b));
  return out;
}

/** Reads a bundle from a folder or a zip file. */
export function readBundle(path: string): Map<string, Buffer> {
  if (!existsSync(path)) throw new FoureyesError('not_found', `${path} does not exist`);
  return lstatSync(path).isDirectory() ? readDir(path) : readZip(readFileSync(path), path);
}

/** Checks a bundle's files against its signed integrity manifest. A missing or malformed manifest throws. */
export function verifyBundleFiles(files: ReadonlyMap<string, Buffer>, where: string): BundleCheck {
  const raw = files.get(INTEGRITY_FILE);
  if (!raw) throw new FoureyesError('bad_input', `${where} has no ${INTEGRITY_FILE}: not a Foureyes bundle`);
  const what = 'bundle integrity manifest';
  const m = readSigned(raw, IntegritySchema, what, MAX_INTEGRITY);
  let problem: string | null = null;
  try {
    checkCanonical(raw, m, what);
  } catch (e) {
    problem = (e as Error).message;
  }
  let fingerprint = m.signer.fingerprint;
  if (problem === null) {
    try {
      const key = createPublicKey(m.signer.publicKey);
      fingerprint = fingerprintOf(key);
      if (fingerprint !== m.signer.fingerprint)
        problem = `${INTEGRITY_FILE}: the signer's fingerprint is not that of the key it carries`;
      else if (
        !signatureValid(
          key,
          signedBytes(m as unknown as Record<string, unknown>),
          Buffer.from(m.signature, 'base64'),
        )
      )
        problem = `${INTEGRITY_FILE}: the signature does not verify with ${m.signer.name}'s key (${fingerprint})`;
    } catch {
      problem = `${INTEGRITY_FILE}: the signer's public key cannot be read`;
    }
  }
  const listed = new Map(m.files.map((f) => [f.path, f]));
  const changed: string[] = [];
  const missing: string[] = [];
  for (const f of m.files) {
    const b = files.get(f.path);
    if (!b) missing.push(f.path);
    else if (b.length !== f.size || sha256(b) !== f.sha256) changed.push(f.path);
  }
  const extra = [...files.keys()].filter((p) => p !== INTEGRITY_FILE && !listed.has(p)).sort();
  return {
    ok: problem === null && changed.length === 0 && missing.length === 0 && extra.length === 0,
    signer: { name: m.signer.name, fingerprint },
    files: m.files.length,
    changed,
    missing,
    extra,
    problem,
  };
}

/** Checks the bundle folder or zip at `path`. */
export function verifyBundle(path: string): BundleCheck {
  return verifyBundleFiles(readBundle(path), path);
}
