/**
 * Publishing a Confluence bundle (main/export/confluence/) to a Confluence server over its REST API, through
 * common.ts. The bundle is read once, from its folder or zip, and those bytes are checked against the signed
 * integrity manifest (verifyBundleFiles, what `foureyes bundle verify` runs) before anything is sent: a bundle that
 * does not verify is refused. Then, for each page in manifest order (parents first):
 * - the page of that title in the space is looked up (GET /rest/api/content?spaceKey&title, with its version,
 *   storage body and ancestors); none: it is created (POST /rest/api/content) under its parent's page (the root
 *   under `parentId`, when given); one: it is updated (PUT /rest/api/content/{id}, version + 1) unless its stored
 *   body is the bundle's and it sits under the right parent, so that publishing the same bundle again changes
 *   nothing. A body the server rewrote on save counts as the same when the page is still at the version this
 *   publish left it and the bundle's body has the hash it had then.
 * - its attachments: an attachment of the same name is updated (POST .../child/attachment/{attId}/data) unless it
 *   holds the same bytes; otherwise one is created (POST .../child/attachment). Both multipart, with
 *   X-Atlassian-Token: no-check.
 * The state file (`statePathFor`: `<bundle>.publish.json` beside the bundle folder or zip, mode 0600) holds, per
 * server URL and space: the bundle's digest (the SHA-256 of its integrity.json, as the export's trail event records
 * it), each page title's id, version, body hash and whether it is done, and each attachment's id, version and hash.
 * It is written after every step, so a run that stops half-way (a network failure, a refused page) leaves it; the
 * next run of the same bundle skips the pages already done and looks every other one up by title before creating
 * it, so nothing is created twice. It never holds the token.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { FoureyesError } from '../../shared/model/errors.js';
import { INTEGRITY_FILE, readBundle, readZip, verifyBundleFiles } from '../export/confluence/bundle.js';
import { storageBody } from '../export/confluence/storage.js';
import { appendEvent } from '../audit/trail.js';
import type { Acting } from '../people/acting.js';
import type { Workspace } from '../store/db.js';
import { RestError, safeText, TOKEN_ENV as TOKEN_ENVS, type RestClient } from './common.js';

export const TOKEN_ENV = TOKEN_ENVS.confluence;
const STATE_FORMAT = 'foureyes-confluence-publish/1';
const sha256 = (b: string | Uint8Array): string => createHash('sha256').update(b).digest('hex');

const ManifestSchema = z.object({
  format: z.literal('foureyes-confluence/1'),
  engagement: z.object({ id: z.string().max(100), name: z.string().max(10_000) }),
  pages: z
    .array(
      z.object({
        id: z.string().min(1).max(200),
        title: z.string().min(1).max(255),
        parent: z.string().max(200).nullable(),
        order: z.number().int(),
        file: z.string().min(1).max(500),
        attachments: z.array(z.string().min(1).max(255)).max(10_000),
      }),
    )
    .min(1)
    .max(100_000),
  attachments: z
    .array(
      z.object({
        name: z.string().min(1).max(255),
        file: z.string().min(1).max(500),
        mediaType: z.string().max(200),
      }),
    )
    .max(100_000),
});

const AttachmentState = z.object({ id: z.string(), version: z.number().int(), sha256: z.string() });
const PageState = z.object({
  id: z.string(),
  version: z.number().int(),
  bodySha256: z.string(),
  done: z.boolean(),
  attachments: z.record(z.string(), AttachmentState),
});
const TargetState = z.object({
  url: z.string(),
  space: z.string(),
  parent: z.string().nullable(),
  digest: z.string(),
  complete: z.boolean(),
  at: z.string(),
  pages: z.record(z.string(), PageState),
});
const StateSchema = z.object({ format: z.literal(STATE_FORMAT), targets: z.array(TargetState) });
type Target = z.infer<typeof TargetState>;
type StateFile = z.infer<typeof StateSchema>;

export type PageAction = 'created' | 'updated' | 'unchanged' | 'done before';
export type AttachmentAction = 'created' | 'updated' | 'unchanged';

export interface PublishItem {
  kind: 'page' | 'attachment';
  title: string;
  /** The attachment's file name. */
  name?: string;
  /** The page's (or attachment's) id on the server; null for what a dry run would create. */
  id: string | null;
  action: PageAction | AttachmentAction;
}

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface PublishResult {
  url: string;
  space: string;
  parent: string | null;
  bundle: string;
  /** The SHA-256 of the bundle's integrity.json. */
  digest: string;
  signer: { name: string; fingerprint: string } | null;
  engagement: { id: string; name: string };
  dryRun: boolean;
  /** Every page and attachment of the bundle reached the server. */
  complete: boolean;
  pages: Counts & { doneBefore: number };
  attachments: Counts;
  items: PublishItem[];
  statePath: string;
}

/** A publish that stopped: what it published until then, and why it stopped (the message). */
export class PublishError extends FoureyesError {
  constructor(
    readonly stoppedBy: FoureyesError,
    readonly result: PublishResult,
  ) {
    super(stoppedBy.code, stoppedBy.message, stoppedBy.details);
    this.name = 'PublishError';
  }
}

/** A bundle folder or zip on disk, or the bytes of a zip (named for messages). */
export type BundleSource = string | { zip: Uint8Array; name: string };

export interface PublishOptions {
  bundle: BundleSource;
  client: RestClient;
  space: string;
  parentId?: string | undefined;
  dryRun?: boolean;
  /** Where the state is kept (or where, given the bundle's digest); default statePathFor(bundle) for a path. */
  statePath?: string | ((digest: string) => string) | undefined;
  /** Called after each page or attachment. */
  onItem?: (item: PublishItem) => void;
  now?: () => Date;
}

/**
 * Records a publish in the trail (`publish.confluence`, signed by `acting`, about the bundle's engagement): the URL,
 * space, parent page, the SHA-256 of the bundle's integrity.json (as `export.confluence` records it), whether it
 * completed, and the counts.
 */
export function recordConfluencePublish(ws: Workspace, acting: Acting, r: PublishResult): void {
  ws.tx(() =>
    appendEvent(ws, acting, {
      action: 'publish.confluence',
      object: { type: 'engagement', id: r.engagement.id },
      details: {
        url: r.url,
        space: r.space,
        parent: r.parent,
        integritySha256: r.digest,
        complete: r.complete,
        pages: r.pages,
        attachments: r.attachments,
      },
    }),
  );
}

/** Whether a publish changed anything on the server. */
export const changedAnything = (r: PublishResult): boolean =>
  r.items.some((i) => i.action === 'created' || i.action === 'updated');

/** `<bundle>.publish.json`, beside the bundle folder or zip (never inside it: it is no file of the bundle). */
export function statePathFor(bundle: string): string {
  return `${bundle.replace(/[/\\]+$/, '')}.publish.json`;
}

export function checkSpaceKey(space: string, option = '--space'): string {
  if (!/^~?[A-Za-z0-9_]{1,255}$/.test(space))
    throw new FoureyesError(
      'bad_input',
      `${option}: ${JSON.stringify(safeText(space, 100))} is not a Confluence space key`,
    );
  return space;
}

export function checkPageId(id: string, option = '--parent'): string {
  if (!/^[0-9]{1,20}$/.test(id))
    throw new FoureyesError(
      'bad_input',
      `${option}: ${JSON.stringify(safeText(id, 100))} is not a page id (digits)`,
    );
  return id;
}

interface LoadedBundle {
  files: Map<string, Buffer>;
  manifest: z.infer<typeof ManifestSchema>;
  digest: string;
  signer: { name: string; fingerprint: string } | null;
}

/** Reads the bundle and refuses it unless it verifies against its signed integrity manifest. */
export function loadVerifiedBundle(source: BundleSource): LoadedBundle {
  const path = typeof source === 'string' ? source : source.name;
  const files = typeof source === 'string' ? readBundle(source) : readZip(source.zip, source.name);
  const check = verifyBundleFiles(files, path);
  if (!check.ok) {
    const what = [
      ...(check.problem ? [check.problem] : []),
      ...check.changed.map((f) => `changed: ${f}`),
      ...check.missing.map((f) => `missing: ${f}`),
      ...check.extra.map((f) => `extra: ${f}`),
    ];
    throw new FoureyesError(
      'bad_input',
      `${path} does not verify against its signed integrity manifest, nothing was published (${what.slice(0, 10).join('; ')}${what.length > 10 ? '; …' : ''}); see foureyes bundle verify`,
    );
  }
  let manifest: z.infer<typeof ManifestSchema>;
  try {
    manifest = ManifestSchema.parse(JSON.parse(files.get('manifest.json')?.toString('utf8') ?? ''));
  } catch {
    throw new FoureyesError(
      'bad_input',
      `${path}: manifest.json is not that of a Confluence bundle Foureyes writes`,
    );
  }
  const seen = new Set<string>();
  const titles = new Set<string>();
  const attachments = new Set(manifest.attachments.map((a) => a.name));
  for (const p of manifest.pages) {
    if (p.parent !== null && !seen.has(p.parent))
      throw new FoureyesError('bad_input', `${path}: manifest.json lists page ${p.id} before its parent`);
    if (titles.has(p.title.toLowerCase()))
      throw new FoureyesError(
        'bad_input',
        `${path}: manifest.json holds the title ${JSON.stringify(safeText(p.title))} twice`,
      );
    if (!files.has(p.file)) throw new FoureyesError('bad_input', `${path}: ${p.file} is missing`);
    for (const a of p.attachments)
      if (!attachments.has(a))
        throw new FoureyesError('bad_input', `${path}: attachment ${a} is not in the manifest`);
    seen.add(p.id);
    titles.add(p.title.toLowerCase());
  }
  for (const a of manifest.attachments)
    if (!files.has(a.file)) throw new FoureyesError('bad_input', `${path}: ${a.file} is missing`);
  return { files, manifest, digest: sha256(files.get(INTEGRITY_FILE)!), signer: check.signer };
}

function readState(path: string): StateFile {
  if (!existsSync(path)) return { format: STATE_FORMAT, targets: [] };
  try {
    return StateSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    throw new FoureyesError(
      'bad_input',
      `${path} is not a publish state Foureyes writes; move it away to publish from the start`,
    );
  }
}

function writeState(path: string, s: StateFile): void {
  const tmp = `${path}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(tmp, `${JSON.stringify(s, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, path);
  } catch (e) {
    throw new FoureyesError(
      'bad_input',
      `cannot write the publish state ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}); give --state FILE`,
    );
  }
}

interface Content {
  id: string;
  type?: string;
  title: string;
  version?: { number: number };
  body?: { storage?: { value?: string } };
  ancestors?: { id: string }[];
  extensions?: { fileSize?: number };
  _links?: { download?: string };
}
interface Results {
  results?: Content[];
}
const one = (r: Content | Results | null): Content | undefined =>
  r && 'results' in r ? r.results?.[0] : ((r as Content | null) ?? undefined);
const idOf = (c: Content | undefined, what: string): string => {
  const id = c?.id;
  // The id goes into the paths of later requests: letters, digits, - and _ only.
  if ((typeof id !== 'string' && typeof id !== 'number') || !/^[A-Za-z0-9_-]{1,64}$/.test(String(id)))
    throw new FoureyesError('bad_input', `${what}: the server's reply names no id this client can use`);
  return String(id);
};
const versionOf = (c: Content | undefined): number => c?.version?.number ?? 1;

/** Publishes the bundle at `o.bundle`; throws a PublishError carrying what was published when it stops half-way. */
export async function publishConfluence(o: PublishOptions): Promise<PublishResult> {
  const space = checkSpaceKey(o.space);
  const parentId = o.parentId !== undefined ? checkPageId(o.parentId) : undefined;
  const b = loadVerifiedBundle(o.bundle);
  const bundleName = typeof o.bundle === 'string' ? o.bundle : o.bundle.name;
  const api = o.client;
  const statePath =
    typeof o.statePath === 'function'
      ? o.statePath(b.digest)
      : (o.statePath ?? (typeof o.bundle === 'string' ? statePathFor(o.bundle) : undefined));
  if (statePath === undefined)
    throw new FoureyesError('internal', 'publishing the bytes of a bundle needs a state file path');
  const dryRun = o.dryRun === true;
  const now = o.now ?? (() => new Date());

  const state = readState(statePath);
  let target = state.targets.find((t) => t.url === api.baseUrl && t.space === space);
  const resuming =
    target !== undefined &&
    target.digest === b.digest &&
    !target.complete &&
    target.parent === (parentId ?? null);
  if (!target) {
    target = {
      url: api.baseUrl,
      space,
      parent: parentId ?? null,
      digest: b.digest,
      complete: false,
      at: '',
      pages: {},
    };
    if (!dryRun) state.targets.push(target);
  } else if (!resuming && !dryRun) {
    for (const p of Object.values(target.pages)) p.done = false;
  }
  if (!dryRun) {
    target.digest = b.digest;
    target.parent = parentId ?? null;
    target.complete = false;
  }
  const t: Target = target;
  const save = () => {
    if (dryRun) return;
    t.at = now().toISOString();
    writeState(statePath, state);
  };

  const result: PublishResult = {
    url: api.baseUrl,
    space,
    parent: parentId ?? null,
    bundle: bundleName,
    digest: b.digest,
    signer: b.signer,
    engagement: b.manifest.engagement,
    dryRun,
    complete: false,
    pages: { created: 0, updated: 0, unchanged: 0, doneBefore: 0 },
    attachments: { created: 0, updated: 0, unchanged: 0 },
    items: [],
    statePath,
  };
  const note = (item: PublishItem) => {
    result.items.push(item);
    if (item.kind === 'page') {
      if (item.action === 'done before') result.pages.doneBefore += 1;
      else result.pages[item.action] += 1;
    } else result.attachments[item.action as AttachmentAction] += 1;
    o.onItem?.(item);
  };
  const attachmentFile = new Map(b.manifest.attachments.map((a) => [a.name, a]));
  const ids = new Map<string, string | null>();

  const publishAttachments = async (
    title: string,
    pageId: string | null,
    names: readonly string[],
    st: Target['pages'][string] | undefined,
  ) => {
    for (const name of names) {
      const a = attachmentFile.get(name)!;
      const bytes = b.files.get(a.file)!;
      const hash = sha256(bytes);
      const what = `attachment ${JSON.stringify(safeText(name, 200))} of page "${safeText(title, 200)}"`;
      if (pageId === null) {
        note({ kind: 'attachment', title, name, id: null, action: 'created' });
        continue;
      }
      const found = await api.request<Results>({
        method: 'GET',
        path: `/rest/api/content/${pageId}/child/attachment`,
        query: { filename: name, expand: 'version' },
        what,
        op: 'look up',
      });
      const existing = found?.results?.find((x) => x.title === name);
      const form = () => {
        const f = new FormData();
        f.append('file', new Blob([bytes], { type: a.mediaType || 'application/octet-stream' }), name);
        f.append('minorEdit', 'true');
        return f;
      };
      const headers = { 'X-Atlassian-Token': 'no-check' };
      let action: AttachmentAction;
      let id: string;
      let version: number;
      if (!existing) {
        action = 'created';
        if (dryRun) {
          note({ kind: 'attachment', title, name, id: null, action });
          continue;
        }
        const r = await api.request<Results>({
          method: 'POST',
          path: `/rest/api/content/${pageId}/child/attachment`,
          form: form(),
          headers,
          what,
          op: 'upload',
        });
        const c = one(r);
        id = idOf(c, what);
        version = versionOf(c);
      } else {
        id = idOf(existing, what);
        version = versionOf(existing);
        const known = st?.attachments[name];
        let same =
          known !== undefined && known.id === id && known.version === version && known.sha256 === hash;
        const link = existing._links?.download;
        if (
          !same &&
          existing.extensions?.fileSize === bytes.length &&
          typeof link === 'string' &&
          link.startsWith('/')
        ) {
          // A download the server redirects elsewhere (Confluence Cloud's media service, which the token must not
          // follow to) or refuses says nothing about the bytes: the attachment is sent again as a new version.
          try {
            const stored = await api.requestBytes({
              method: 'GET',
              path: link,
              headers: { Accept: '*/*' },
              what,
              op: 'download',
            });
            same = stored.equals(bytes);
          } catch (e) {
            if (!(e instanceof RestError) || e.status === null || e.status === 401) throw e;
            same = false;
          }
        }
        if (same) action = 'unchanged';
        else {
          action = 'updated';
          if (!dryRun) {
            const r = await api.request<Content | Results>({
              method: 'POST',
              path: `/rest/api/content/${pageId}/child/attachment/${id}/data`,
              form: form(),
              headers,
              what,
              op: 'update',
            });
            version = versionOf(one(r));
          }
        }
      }
      if (st && !dryRun) {
        st.attachments[name] = { id, version, sha256: hash };
        save();
      }
      note({ kind: 'attachment', title, name, id, action });
    }
  };

  try {
    for (const p of b.manifest.pages) {
      const xml = b.files.get(p.file)!.toString('utf8');
      const body = storageBody(xml);
      if (body === '') throw new FoureyesError('bad_input', `${bundleName}: ${p.file} holds no page body`);
      const bodySha256 = sha256(body);
      const what = `page "${safeText(p.title, 200)}"`;
      const parent = p.parent === null ? (parentId ?? null) : (ids.get(p.parent) ?? null);
      const st = t.pages[p.title];
      if (resuming && st?.done && st.bodySha256 === bodySha256) {
        ids.set(p.id, st.id);
        note({ kind: 'page', title: p.title, id: st.id, action: 'done before' });
        continue;
      }
      const found = await api.request<Results>({
        method: 'GET',
        path: '/rest/api/content',
        query: { spaceKey: space, title: p.title, type: 'page', expand: 'version,body.storage,ancestors' },
        what,
        op: 'look up',
      });
      const existing = found?.results?.find((c) => c.title === p.title) ?? found?.results?.[0];
      const ancestors = parent !== null ? [{ id: parent }] : undefined;
      const content = {
        type: 'page',
        title: p.title,
        space: { key: space },
        ...(ancestors ? { ancestors } : {}),
        body: { storage: { value: body, representation: 'storage' } },
      };
      let id: string | null;
      let version: number;
      let action: PageAction;
      if (!existing) {
        action = 'created';
        if (dryRun) {
          id = null;
          version = 0;
        } else {
          const c = await api.request<Content>({
            method: 'POST',
            path: '/rest/api/content',
            json: content,
            what,
            op: 'create',
          });
          id = idOf(c, what);
          version = versionOf(c);
        }
      } else {
        id = idOf(existing, what);
        version = versionOf(existing);
        const stored = existing.body?.storage?.value;
        const sameBody =
          stored === body ||
          (st !== undefined && st.id === id && st.version === version && st.bodySha256 === bodySha256);
        const under = existing.ancestors?.[existing.ancestors.length - 1]?.id;
        const placed = parent === null || String(under) === parent;
        if (sameBody && placed) action = 'unchanged';
        else {
          action = 'updated';
          if (!dryRun) {
            const c = await api.request<Content>({
              method: 'PUT',
              path: `/rest/api/content/${id}`,
              json: { id, ...content, version: { number: version + 1 } },
              what,
              op: 'update',
            });
            version = versionOf(c);
          }
        }
      }
      ids.set(p.id, id);
      let ps: Target['pages'][string] | undefined;
      if (!dryRun && id !== null) {
        ps = { id, version, bodySha256, done: false, attachments: st?.id === id ? st.attachments : {} };
        t.pages[p.title] = ps;
        save();
      }
      note({ kind: 'page', title: p.title, id, action });
      await publishAttachments(p.title, id, p.attachments, ps);
      if (ps) {
        ps.done = true;
        save();
      }
    }
  } catch (e) {
    save();
    if (e instanceof RestError || e instanceof FoureyesError) throw new PublishError(e, result);
    throw e;
  }
  result.complete = true;
  if (!dryRun) {
    t.complete = true;
    save();
  }
  return result;
}
