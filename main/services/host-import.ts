/**
 * Inventory import: parsed hosts become drafts, jump hosts are resolved, and (unless a dry run) everything is
 * stored in one transaction. A jump names a host of the same file or of the engagement, by name first, then by
 * address (and port when the jump gives one). Jump hosts are stored before the hosts that use them, so each host
 * is stored with its jumpHostId. A host whose jump cannot be resolved is not imported: connecting to it directly
 * could reach another machine than the one behind the jump host.
 */
import { HostInputSchema, type HostDraft, type HostInput } from '../../shared/api/schemas/workspace.js';
import { inputIssueSentence } from '../../shared/api/schemas/sentences.js';
import { FoureyesError } from '../../shared/model/errors.js';
import type { Host } from '../../shared/model/workspace.js';
import type { HostService } from '../api/services.js';
import { parseAnsibleIni, parseAnsibleYaml } from '../inventory/ansible.js';
import { parseCsvInventory } from '../inventory/csv.js';
import { parseSshConfigInventory } from '../inventory/ssh-config.js';
import type { InventoryHost, InventoryParse } from '../inventory/types.js';
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

function parse(source: string, content: string, file: string): InventoryParse {
  switch (source) {
    case 'csv':
      return parseCsvInventory(content, file);
    case 'ansible-ini':
      return parseAnsibleIni(content, file);
    case 'ansible-yaml':
      return parseAnsibleYaml(content, file);
    case 'ssh_config':
      return parseSshConfigInventory(content, file);
    default:
      throw new FoureyesError('bad_input', `import from ${source} is not supported`);
  }
}

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

/** Finds what a jump spec names: this file's hosts first by name, then the engagement's, then by address. */
function resolveJump(
  spec: { host: string; port?: number },
  cands: readonly Candidate[],
  existing: readonly Host[],
): Candidate['jump'] {
  const byAddr = (h: { address: string; port: number }) =>
    h.address === spec.host && (spec.port === undefined || h.port === spec.port);
  const f = cands.findIndex((c) => c.draft.name === spec.host);
  if (f >= 0) return { file: f };
  const e = existing.find((h) => h.name === spec.host);
  if (e) return { existing: e.id };
  const fa = cands.findIndex((c) => byAddr(c.draft));
  if (fa >= 0) return { file: fa };
  const ea = existing.find(byAddr);
  if (ea) return { existing: ea.id };
  return undefined;
}

/**
 * Order in which candidates can be stored (jump hosts first), and the ones that cannot: their jump chain leads to a
 * host that is not imported, or loops.
 */
function storeOrder(cands: readonly (Candidate | undefined)[]): {
  order: number[];
  broken: Map<number, string>;
} {
  const order: number[] = [];
  const broken = new Map<number, string>();
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (i: number): boolean => {
    if (state.get(i) === 'done') return !broken.has(i);
    const c = cands[i];
    if (!c) return false;
    if (state.get(i) === 'visiting') {
      broken.set(i, `Its jump hosts form a loop (through ${c.jumpName ?? '?'}); host not imported.`);
      return false;
    }
    state.set(i, 'visiting');
    let ok = true;
    if (c.jump && 'file' in c.jump && !visit(c.jump.file)) {
      ok = false;
      if (!broken.has(i))
        broken.set(
          i,
          `Its jump host ${c.jumpName ?? '?'} is not imported (see its error); host not imported.`,
        );
    }
    state.set(i, 'done');
    if (ok) order.push(i);
    return ok;
  };
  cands.forEach((_c, i) => visit(i));
  return { order, broken };
}

export function importHosts(ws: Workspace): ImportCall {
  return ({ engagementId, source, content, dryRun, fileName }) => {
    ws.engagements.requireWritable(engagementId);
    const file = fileName ?? DEFAULT_FILE[source] ?? source;
    const parsed = parse(source, content, file);
    /** `hosts.csv:12: db01:`, the start of every message about a host. */
    const about = (h: InventoryHost): string => {
      const line = lineOf(h);
      return `${line === null ? file : `${file}:${line}`}: ${h.name}:`;
    };
    const errors: LineError[] = parsed.problems.map((p) => ({
      line: p.line > 0 ? p.line : null,
      message: p.message,
    }));
    const existing = ws.hosts.list(engagementId);
    const user = localUserName('root');

    const valid: Candidate[] = [];
    for (const h of parsed.hosts) {
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
      if (existing.some((x) => x.name === v.data.name)) {
        errors.push({
          line: lineOf(h),
          message: `${about(h)} A host of this name is already in the engagement; not imported again.`,
        });
        continue;
      }
      valid.push({ src: h, draft: v.data });
    }

    // Jumps are resolved against every valid candidate, so a host may name a jump host defined further down.
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
      const jump = resolveJump(spec, valid, existing);
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
      return { hosts, added: [], errors };
    }
    const stored = new Map<number, Host>();
    ws.db
      .transaction(() => {
        for (const i of order) {
          const c = cands[i]!;
          const jumpHostId = c.jump
            ? 'file' in c.jump
              ? stored.get(c.jump.file)!.id
              : c.jump.existing
            : null;
          stored.set(i, ws.hosts.add(engagementId, { ...c.draft, jumpHostId }));
        }
      })
      .immediate();
    const added = [...stored.entries()].sort((a, b) => a[0] - b[0]).map(([, h]) => h);
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
    return { hosts, added, errors };
  };
}
