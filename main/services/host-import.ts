/**
 * Inventory import: parsed hosts become drafts, jump hosts are resolved, and (unless a dry run) everything is
 * stored in one transaction. A jump names a host of the same file or of the engagement, by name first, then by
 * address (and port when the jump gives one). Jump hosts are stored before the hosts that use them, so each host
 * is stored with its jumpHostId. A host whose jump cannot be resolved is not imported: connecting to it directly
 * could reach another machine than the one behind the jump host.
 */
import {
  HostInputSchema,
  MAX_IMPORT_ERRORS,
  MAX_IMPORT_HOSTS,
  MAX_IMPORT_LISTED,
  type HostDraft,
  type HostInput,
} from '../../shared/api/schemas/workspace.js';
import { inputIssueSentence } from '../../shared/api/schemas/sentences.js';
import { FoureyesError, isFoureyesError } from '../../shared/model/errors.js';
import type { Host } from '../../shared/model/workspace.js';
import type { HostService } from '../api/services.js';
import { parseInventoryOffThread } from '../inventory/parse-off-thread.js';
import type { InventoryHost } from '../inventory/types.js';
import { parseJumpSpec } from '../ssh/ssh-config.js';
import type { Workspace } from '../store/db.js';
import { localUserName } from '../ssh/paths.js';

type ImportCall = HostService['import'];
type LineError = { line: number | null; message: string };

/** The name messages give the file: the one the user chose, or what the source is. */
const DEFAULT_FILE: Record<string, string> = {
  csv: 'CSV',
  'ansible-ini': 'inventory.ini',
  'ansible-yaml': 'inventory.yml',
  ssh_config: 'ssh_config',
};

/** Hosts checked, or stored in one transaction, between two turns of the event loop. */
const SLICE = 200;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A parsed host that passed validation, and where its jump leads. */
interface Candidate {
  src: InventoryHost;
  draft: HostDraft;
  /** Index of another candidate, or the id of a host already in the engagement. */
  jump?: { file: number } | { existing: string };
  /** The jump as written, for messages. */
  jumpName?: string;
}

const lineOf = (h: InventoryHost): number | null => (h.line !== undefined && h.line > 0 ? h.line : null);

/** Hosts by name, by address and by address and port; the first of each wins (file order, or name order). */
class Endpoints<T> {
  private readonly byName = new Map<string, T>();
  private readonly byAddress = new Map<string, T>();
  private readonly byAddressPort = new Map<string, T>();
  add(h: { name: string; address: string; port: number }, v: T): void {
    if (!this.byName.has(h.name)) this.byName.set(h.name, v);
    if (!this.byAddress.has(h.address)) this.byAddress.set(h.address, v);
    const ap = `${h.address}\n${h.port}`;
    if (!this.byAddressPort.has(ap)) this.byAddressPort.set(ap, v);
  }
  named(name: string): T | undefined {
    return this.byName.get(name);
  }
  at(spec: { host: string; port?: number }): T | undefined {
    return spec.port === undefined
      ? this.byAddress.get(spec.host)
      : this.byAddressPort.get(`${spec.host}\n${spec.port}`);
  }
}

/** Finds what a jump spec names: this file's hosts first by name, then the engagement's, then by address. */
function resolveJump(
  spec: { host: string; port?: number },
  file: Endpoints<number>,
  existing: Endpoints<string>,
): Candidate['jump'] {
  const f = file.named(spec.host);
  if (f !== undefined) return { file: f };
  const e = existing.named(spec.host);
  if (e !== undefined) return { existing: e };
  const fa = file.at(spec);
  if (fa !== undefined) return { file: fa };
  const ea = existing.at(spec);
  if (ea !== undefined) return { existing: ea };
  return undefined;
}

/**
 * Order in which candidates can be stored (jump hosts first), and the ones that cannot: their jump chain leads to a
 * host that is not imported, or loops. Chains are followed without recursion: a file may chain thousands of hosts.
 */
function storeOrder(cands: readonly (Candidate | undefined)[]): {
  order: number[];
  broken: Map<number, string>;
} {
  const order: number[] = [];
  const broken = new Map<number, string>();
  const done = new Set<number>();
  const notImported = (c: Candidate) =>
    `Its jump host ${c.jumpName ?? '?'} is not imported (see its error); host not imported.`;
  cands.forEach((first, i) => {
    if (!first || done.has(i)) return;
    // Follow the chain from i until a host that needs no file jump, one already settled, a dropped one, or a loop.
    const path: number[] = [];
    const onPath = new Set<number>();
    let ok: boolean;
    for (let j = i; ;) {
      const c = cands[j];
      if (!c) {
        ok = false;
        break;
      }
      if (done.has(j)) {
        ok = !broken.has(j);
        break;
      }
      if (onPath.has(j)) {
        broken.set(j, `Its jump hosts form a loop (through ${c.jumpName ?? '?'}); host not imported.`);
        ok = false;
        break;
      }
      path.push(j);
      onPath.add(j);
      if (!c.jump || !('file' in c.jump)) {
        ok = true;
        break;
      }
      j = c.jump.file;
    }
    // Settle the chain from its far end: each host is stored after its jump host, or not at all.
    for (let k = path.length - 1; k >= 0; k--) {
      const at = path[k]!;
      if (!done.has(at)) {
        if (ok) order.push(at);
        else if (!broken.has(at)) broken.set(at, notImported(cands[at]!));
        done.add(at);
      }
    }
  });
  return { order, broken };
}

/** The problems a reply lists: the first MAX_IMPORT_ERRORS, then one line saying how many more there were. */
function listed(errors: LineError[]): LineError[] {
  if (errors.length <= MAX_IMPORT_ERRORS) return errors;
  const more = errors.length - MAX_IMPORT_ERRORS;
  return [
    ...errors.slice(0, MAX_IMPORT_ERRORS),
    {
      line: null,
      message: `${more.toLocaleString('en-US')} more ${more === 1 ? 'problem' : 'problems'} not listed (the first ${MAX_IMPORT_ERRORS.toLocaleString('en-US')} are).`,
    },
  ];
}

/**
 * Imports run one at a time: each is parsed in a worker thread, then checked and stored a slice at a time between
 * turns of the event loop (at most MAX_IMPORT_HOSTS rows in all), so other calls are answered while it runs.
 */
export function importHosts(ws: Workspace): ImportCall {
  let queue: Promise<unknown> = Promise.resolve();
  return (input) => {
    const run = queue.then(() => importOnce(ws, input));
    queue = run.catch(() => undefined);
    return run;
  };
}

async function importOnce(
  ws: Workspace,
  input: Parameters<ImportCall>[0],
): Promise<Awaited<ReturnType<ImportCall>>> {
  const { engagementId, source, content, dryRun, fileName } = input;
  ws.engagements.requireWritable(engagementId);
  const file = fileName ?? DEFAULT_FILE[source] ?? source;
  const parsed = await parseInventoryOffThread({ source, content, file });
  if (parsed.hosts.length > MAX_IMPORT_HOSTS)
    throw new FoureyesError(
      'bad_input',
      `${file} holds ${parsed.hosts.length.toLocaleString('en-US')} hosts; one import takes at most ` +
        `${MAX_IMPORT_HOSTS.toLocaleString('en-US')}. Split the file and import it in parts; nothing was imported.`,
      { file, hosts: parsed.hosts.length, limit: MAX_IMPORT_HOSTS },
    );
  /** `hosts.csv:12: db01:`, the start of every message about a host. */
  const about = (h: InventoryHost): string => {
    const line = lineOf(h);
    return `${line === null ? file : `${file}:${line}`}: ${h.name}:`;
  };
  const errors: LineError[] = parsed.problems.map((p) => ({
    line: p.line > 0 ? p.line : null,
    message: p.message,
  }));
  const user = localUserName('root');

  const valid: Candidate[] = [];
  for (const [n, h] of parsed.hosts.entries()) {
    if (n > 0 && n % SLICE === 0) await nextTurn();
    const input: HostInput = {
      name: h.name,
      address: h.address,
      port: h.port ?? 22,
      user: h.user ?? user,
      auth: h.identityFile !== undefined ? { type: 'key', keyPath: h.identityFile } : { type: 'agent' },
      tags: h.groups,
    };
    // Every field the contract refuses, one sentence each (the inventory's own checks are looser).
    const v = HostInputSchema.safeParse(input, { error: inputIssueSentence });
    if (!v.success) {
      for (const issue of v.error.issues)
        errors.push({ line: lineOf(h), message: `${about(h)} ${issue.message} Host not imported.` });
      continue;
    }
    if (ws.hosts.hasName(engagementId, v.data.name)) {
      errors.push({
        line: lineOf(h),
        message: `${about(h)} A host of this name is already in the engagement; not imported again.`,
      });
      continue;
    }
    valid.push({ src: h, draft: v.data });
  }

  // Jumps are resolved against every valid candidate, so a host may name a jump host defined further down.
  const inFile = new Endpoints<number>();
  valid.forEach((c, i) => inFile.add(c.draft, i));
  let known: Endpoints<string> | undefined;
  const existing = (): Endpoints<string> => {
    if (!known) {
      known = new Endpoints<string>();
      for (const h of ws.hosts.endpoints(engagementId)) known.add(h, h.id);
    }
    return known;
  };
  const cands: (Candidate | undefined)[] = valid.map((c) => {
    if (c.src.jump === undefined) return c;
    let spec: { host: string; port?: number };
    try {
      spec = parseJumpSpec(c.src.jump.split(',')[0] ?? '');
    } catch (e) {
      errors.push({
        line: lineOf(c.src),
        message: `${about(c.src)} ${(e as Error).message}; host not imported.`,
      });
      return undefined;
    }
    const jump = resolveJump(spec, inFile, existing());
    if (!jump) {
      errors.push({
        line: lineOf(c.src),
        message: `${about(c.src)} Jump host ${spec.host} is not in this file or the engagement; host not imported.`,
      });
      return undefined;
    }
    if ('file' in jump && valid[jump.file] === c) {
      // Typically `Host *` with a ProxyJump that also covers the jump host itself: ssh could not use it either.
      errors.push({
        line: lineOf(c.src),
        message: `${about(c.src)} It names itself as its jump host; imported without a jump host.`,
      });
      return c;
    }
    return { ...c, jump, jumpName: spec.host };
  });

  const { order, broken } = storeOrder(cands);
  for (const [i, message] of broken)
    errors.push({ line: lineOf(cands[i]!.src), message: `${about(cands[i]!.src)} ${message}` });
  const keep = new Set(order);
  const existingId = (c: Candidate): string | null =>
    c.jump && 'existing' in c.jump ? c.jump.existing : null;

  if (dryRun || order.length === 0) {
    const hosts = cands.flatMap((c, i) =>
      c && keep.has(i) ? [{ ...c.draft, jumpHostId: existingId(c) }] : [],
    );
    return {
      hosts: hosts.slice(0, MAX_IMPORT_LISTED),
      hostCount: hosts.length,
      added: [],
      addedCount: 0,
      errors: listed(errors),
    };
  }
  // Stored in `order` (jump hosts first); a jump within the file points at its position in that order.
  const position = new Map(order.map((i, k) => [i, k]));
  const items = order.map((i) => {
    const c = cands[i]!;
    const draft = { ...c.draft, jumpHostId: existingId(c) };
    return c.jump && 'file' in c.jump ? { draft, jumpIndex: position.get(c.jump.file)! } : { draft };
  });
  const stored = await storeInSlices(ws, engagementId, file, items);
  // Listed in file order, as many as a reply lists (each listed host is also validated on its way out).
  const added: Host[] = order
    .map((i, k) => [i, stored[k]!] as const)
    .sort((a, b) => a[0] - b[0])
    .slice(0, MAX_IMPORT_LISTED)
    .map(([, h]) => h);
  const hosts = added.map((h) => ({
    name: h.name,
    address: h.address,
    port: h.port,
    user: h.user,
    auth: h.auth,
    jumpHostId: h.jumpHostId,
    privilege: h.privilege,
    tags: h.tags,
    notes: h.notes,
  }));
  return { hosts, hostCount: stored.length, added, addedCount: stored.length, errors: listed(errors) };
}

/**
 * Stores the hosts a slice (one transaction) at a time, with a turn of the event loop between slices. All or none:
 * when a slice is refused (a name taken or the engagement archived meanwhile), the slices stored before it are
 * removed again and the refusal says so.
 */
async function storeInSlices(
  ws: Workspace,
  engagementId: string,
  file: string,
  items: Parameters<Workspace['hosts']['addValidated']>[1],
): Promise<Host[]> {
  const stored: Host[] = [];
  for (let at = 0; at < items.length; at += SLICE) {
    if (at > 0) await nextTurn();
    try {
      stored.push(...ws.hosts.addValidated(engagementId, items.slice(at, at + SLICE), stored));
    } catch (e) {
      if (stored.length === 0) throw e;
      const why = e instanceof Error ? e.message : String(e);
      try {
        ws.hosts.removeImported(stored.map((h) => h.id));
      } catch {
        throw new FoureyesError(
          'bad_input',
          `${file}: the import stopped after ${stored.length.toLocaleString('en-US')} hosts (${why}); those hosts ` +
            'stay, as a host added meanwhile jumps through one of them.',
        );
      }
      if (isFoureyesError(e))
        throw new FoureyesError(
          e.code,
          `${file}: ${why} (changed while the import ran); nothing was imported.`,
        );
      throw e;
    }
  }
  return stored;
}
