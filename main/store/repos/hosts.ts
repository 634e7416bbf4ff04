/**
 * The inventory of an engagement. Validation of what a user gives reuses the API's schemas, so a host that the
 * API accepts is a host the store accepts. Auth methods are stored as JSON and never carry a secret (the schema is
 * strict: a `password` field is refused, not dropped).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  AuthMethodSchema,
  FingerprintSchema,
  HostChangesSchema,
  HostInputSchema,
  type HostChanges,
  type HostDraft,
  type HostInput,
} from '../../../shared/api/schemas/workspace.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import { LOCAL_TAG } from '../../../shared/model/local-host.js';
import { HOST_PRIVILEGES, type Host } from '../../../shared/model/workspace.js';
import { constraintKind, type StoreContext } from '../context.js';
import { parseInput } from '../input.js';
import { readEnum, readJson } from '../json.js';
import type { EngagementsRepo } from './engagements.js';

export interface HostRow {
  id: string;
  engagement_id: string;
  name: string;
  address: string;
  port: number;
  user: string;
  auth_method: string;
  jump_host_id: string | null;
  privilege: string;
  pinned_host_key: string | null;
  tags: string;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

const COLUMNS =
  'id, engagement_id, name, address, port, user, auth_method, jump_host_id, privilege, pinned_host_key, tags, notes, created_at, updated_at';
const VALUES =
  '@id, @engagement_id, @name, @address, @port, @user, @auth_method, @jump_host_id, @privilege, @pinned_host_key, @tags, @notes, @created_at, @updated_at';

const TagsColumn = z.array(z.string());

export class HostsRepo {
  constructor(
    private readonly ctx: StoreContext,
    private readonly engagements: EngagementsRepo,
  ) {}

  toHost(r: HostRow): Host {
    const where = (column: string) => ({ table: 'host', id: r.id, column });
    return {
      id: r.id,
      engagementId: r.engagement_id,
      name: r.name,
      address: r.address,
      port: r.port,
      user: r.user,
      auth: readJson(this.ctx, AuthMethodSchema, r.auth_method, where('auth_method')),
      jumpHostId: r.jump_host_id,
      privilege: readEnum(this.ctx, HOST_PRIVILEGES, r.privilege, where('privilege')),
      pinnedFingerprint: r.pinned_host_key,
      tags: readJson(this.ctx, TagsColumn, r.tags, where('tags')),
      notes: r.notes,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  /** Adds a host to an engagement. Name clash, unknown jump host or archived engagement: `bad_input`. */
  add(engagementId: string, input: HostInput): Host {
    return this.ctx.tx(() => this.insert(engagementId, input));
  }

  /** Adds several hosts in one transaction: all or none. */
  addMany(engagementId: string, inputs: readonly HostInput[]): Host[] {
    return this.ctx.tx(() => inputs.map((i) => this.insert(engagementId, i)));
  }

  /**
   * Stores hosts already validated with HostInputSchema (an import's drafts), in one transaction with one prepared
   * statement. An item's `jumpIndex` names its jump host by position in `earlier` followed by `items` (a host
   * stored before it); otherwise its draft's jumpHostId (a host of the engagement, checked here) or none. A name
   * taken meanwhile refuses the lot.
   */
  addValidated(
    engagementId: string,
    items: readonly { draft: HostDraft; jumpIndex?: number }[],
    earlier: readonly Host[] = [],
  ): Host[] {
    return this.ctx.tx(() => {
      const eng = this.engagements.requireWritable(engagementId);
      const jumps = new Set(items.flatMap((i) => (i.jumpIndex === undefined && i.draft.jumpHostId ? [i.draft.jumpHostId] : [])));
      for (const id of jumps) this.checkJump(engagementId, null, id);
      const insert = this.ctx.sql<[HostRow]>(`INSERT INTO host (${COLUMNS}) VALUES (${VALUES})`);
      const at = this.ctx.now();
      const out: Host[] = [];
      for (const { draft: d, jumpIndex } of items) {
        const jump = jumpIndex === undefined ? undefined : (earlier[jumpIndex] ?? out[jumpIndex - earlier.length]);
        if (jumpIndex !== undefined && !jump) throw new Error(`jump host ${jumpIndex} is not stored before ${d.name}`);
        const jumpHostId = jump ? jump.id : d.jumpHostId;
        const row: HostRow = {
          id: randomUUID(),
          engagement_id: engagementId,
          name: d.name,
          address: d.address,
          port: d.port,
          user: d.user,
          auth_method: JSON.stringify(d.auth),
          jump_host_id: jumpHostId,
          privilege: d.privilege,
          pinned_host_key: null,
          tags: JSON.stringify(d.tags),
          notes: d.notes,
          created_at: at,
          updated_at: at,
        };
        try {
          insert.run(row);
        } catch (e) {
          if (constraintKind(e) === 'SQLITE_CONSTRAINT_UNIQUE')
            throw new FoureyesError('bad_input', `host "${d.name}" already exists in engagement "${eng.name}"`);
          throw e;
        }
        out.push({ ...d, id: row.id, engagementId, jumpHostId, pinnedFingerprint: null, createdAt: at, updatedAt: at });
      }
      return out;
    });
  }

  private insert(engagementId: string, input: HostInput): Host {
    const v = parseInput(HostInputSchema, input, 'host');
    const eng = this.engagements.requireWritable(engagementId);
    if (v.jumpHostId !== null) this.checkJump(engagementId, null, v.jumpHostId);
    const at = this.ctx.now();
    const row: HostRow = {
      id: randomUUID(),
      engagement_id: engagementId,
      name: v.name,
      address: v.address,
      port: v.port,
      user: v.user,
      auth_method: JSON.stringify(v.auth),
      jump_host_id: v.jumpHostId,
      privilege: v.privilege,
      pinned_host_key: null,
      tags: JSON.stringify(v.tags),
      notes: v.notes,
      created_at: at,
      updated_at: at,
    };
    try {
      this.ctx.sql<[HostRow]>(`INSERT INTO host (${COLUMNS}) VALUES (${VALUES})`).run(row);
    } catch (e) {
      if (constraintKind(e) === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new FoureyesError('bad_input', `host "${v.name}" already exists in engagement "${eng.name}"`);
      }
      throw e;
    }
    return this.toHost(row);
  }

  update(id: string, changes: HostChanges): Host {
    const c = parseInput(HostChangesSchema, changes, 'host changes');
    return this.ctx.tx(() => {
      const cur = this.require(id);
      const eng = this.engagements.requireWritable(cur.engagementId);
      const next = { ...cur, ...c };
      // A pinned key belongs to the machine at that address and port: another one must be checked anew.
      const moved = next.address !== cur.address || next.port !== cur.port;
      if (c.jumpHostId !== undefined && c.jumpHostId !== null)
        this.checkJump(cur.engagementId, id, c.jumpHostId);
      try {
        this.ctx
          .sql(
            `UPDATE host SET name = @name, address = @address, port = @port, user = @user, auth_method = @auth,
               jump_host_id = @jump, privilege = @privilege, tags = @tags, notes = @notes, updated_at = @at,
               pinned_host_key = CASE WHEN @moved = 1 THEN NULL ELSE pinned_host_key END
             WHERE id = @id`,
          )
          .run({
            id,
            name: next.name,
            address: next.address,
            port: next.port,
            user: next.user,
            auth: JSON.stringify(next.auth),
            jump: next.jumpHostId,
            privilege: next.privilege,
            tags: JSON.stringify(next.tags),
            notes: next.notes,
            at: this.ctx.now(),
            moved: moved ? 1 : 0,
          });
      } catch (e) {
        if (constraintKind(e) === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new FoureyesError(
            'bad_input',
            `host "${next.name}" already exists in engagement "${eng.name}"`,
          );
        }
        throw e;
      }
      return this.require(id);
    });
  }

  /** Pins (or with null, unpins) the host key fingerprint scans must see. */
  pin(id: string, fingerprint: string | null): Host {
    if (fingerprint !== null) parseInput(FingerprintSchema, fingerprint, 'fingerprint');
    const cur = this.require(id);
    this.engagements.requireWritable(cur.engagementId);
    this.ctx
      .sql<[string | null, string, string]>(
        'UPDATE host SET pinned_host_key = ?, updated_at = ? WHERE id = ?',
      )
      .run(fingerprint, this.ctx.now(), id);
    return this.require(id);
  }

  /**
   * Removes hosts an unfinished import stored, in one statement (so jumps among them do not stand in the way), even
   * if the engagement was archived meanwhile. Fails, removing none, when another host now jumps through one of them.
   */
  removeImported(ids: readonly string[]): void {
    this.ctx.tx(() =>
      this.ctx.sql<[string]>('DELETE FROM host WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(ids)),
    );
  }

  /** Removes a host (its accepted keys go with it; its past host runs stay, without the link). */
  remove(id: string): void {
    this.ctx.tx(() => {
      const cur = this.require(id);
      this.engagements.requireWritable(cur.engagementId);
      const users = this.ctx
        .sql<[string], { name: string }>('SELECT name FROM host WHERE jump_host_id = ? ORDER BY name')
        .all(id);
      if (users.length > 0) {
        const names = users.map((u) => `"${u.name}"`).join(', ');
        throw new FoureyesError(
          'bad_input',
          `host "${cur.name}" is the jump host of ${names}; change those first`,
        );
      }
      this.ctx.sql<[string]>('DELETE FROM host WHERE id = ?').run(id);
    });
  }

  get(id: string): Host | undefined {
    const r = this.ctx.sql<[string], HostRow>(`SELECT ${COLUMNS} FROM host WHERE id = ?`).get(id);
    return r && this.toHost(r);
  }

  require(id: string): Host {
    const h = this.get(id);
    if (!h) throw new FoureyesError('not_found', `host ${id} does not exist`);
    return h;
  }

  getByName(engagementId: string, name: string): Host | undefined {
    const r = this.ctx
      .sql<[string, string], HostRow>(`SELECT ${COLUMNS} FROM host WHERE engagement_id = ? AND name = ?`)
      .get(engagementId, name);
    return r && this.toHost(r);
  }

  /** Hosts of an engagement by name. */
  list(engagementId: string): Host[] {
    return this.ctx
      .sql<[string], HostRow>(`SELECT ${COLUMNS} FROM host WHERE engagement_id = ? ORDER BY name`)
      .all(engagementId)
      .map((r) => this.toHost(r));
  }

  /** One page of an engagement's hosts by name, how many it has in all and how many of them have a pinned key. */
  page(engagementId: string, offset: number, limit: number): { hosts: Host[]; total: number; pinned: number } {
    const { total, pinned } = this.ctx
      .sql<[string], { total: number; pinned: number }>(
        'SELECT count(*) AS total, count(pinned_host_key) AS pinned FROM host WHERE engagement_id = ?',
      )
      .get(engagementId)!;
    const hosts = this.ctx
      .sql<[string, number, number], HostRow>(
        `SELECT ${COLUMNS} FROM host WHERE engagement_id = ? ORDER BY name LIMIT ? OFFSET ?`,
      )
      .all(engagementId, limit, offset)
      .map((r) => this.toHost(r));
    return { hosts, total, pinned };
  }

  /** How many hosts the engagement has. */
  count(engagementId: string): number {
    return this.ctx
      .sql<[string], number>('SELECT count(*) FROM host WHERE engagement_id = ?')
      .pluck(true)
      .get(engagementId)!;
  }

  /** Whether any engagement holds a host standing for this machine (see isLocalHost: 127.0.0.1, tagged local). */
  hasLocalHost(): boolean {
    return (
      this.ctx
        .sql<[string, string], number>(
          `SELECT 1 FROM host WHERE address = ? AND EXISTS (SELECT 1 FROM json_each(tags) WHERE value = ?) LIMIT 1`,
        )
        .pluck(true)
        .get('127.0.0.1', LOCAL_TAG) !== undefined
    );
  }

  /** Names of the given hosts (those that exist). */
  names(ids: readonly string[]): { id: string; name: string }[] {
    if (ids.length === 0) return [];
    return this.ctx
      .sql<[string], { id: string; name: string }>(
        'SELECT id, name FROM host WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name',
      )
      .all(JSON.stringify(ids));
  }

  /** The first `limit` hosts of the engagement by name that are not among `ids`, and how many such hosts there are. */
  namesExcept(
    engagementId: string,
    ids: readonly string[],
    limit: number,
  ): { hosts: { id: string; name: string }[]; total: number } {
    const except = JSON.stringify(ids);
    const total = this.ctx
      .sql<[string, string], number>(
        'SELECT count(*) FROM host WHERE engagement_id = ? AND id NOT IN (SELECT value FROM json_each(?))',
      )
      .pluck(true)
      .get(engagementId, except)!;
    const hosts = this.ctx
      .sql<[string, string, number], { id: string; name: string }>(
        `SELECT id, name FROM host WHERE engagement_id = ? AND id NOT IN (SELECT value FROM json_each(?))
         ORDER BY name LIMIT ?`,
      )
      .all(engagementId, except, limit);
    return { hosts, total };
  }

  /** Whether the engagement has a host of this name. */
  hasName(engagementId: string, name: string): boolean {
    return (
      this.ctx
        .sql<[string, string], number>('SELECT 1 FROM host WHERE engagement_id = ? AND name = ?')
        .pluck(true)
        .get(engagementId, name) !== undefined
    );
  }

  /** Where every host of the engagement is (id, name, address, port), by name: for resolving jumps in bulk. */
  endpoints(engagementId: string): { id: string; name: string; address: string; port: number }[] {
    return this.ctx
      .sql<[string], { id: string; name: string; address: string; port: number }>(
        'SELECT id, name, address, port FROM host WHERE engagement_id = ? ORDER BY name',
      )
      .all(engagementId);
  }

  /** The jump hosts to pass through to reach `id`, first hop first (ProxyJump order). */
  jumpChain(id: string): Host[] {
    const chain: Host[] = [];
    const seen = new Set([id]);
    let next = this.require(id).jumpHostId;
    while (next !== null) {
      if (seen.has(next)) throw this.ctx.error(`jump hosts of host ${id} form a loop`);
      seen.add(next);
      const hop = this.require(next);
      chain.unshift(hop);
      next = hop.jumpHostId;
    }
    return chain;
  }

  /** A jump host must be a host of the same engagement, and must not lead back to the host itself. */
  private checkJump(engagementId: string, selfId: string | null, jumpId: string): void {
    const jump = this.get(jumpId);
    if (!jump || jump.engagementId !== engagementId) {
      throw new FoureyesError('bad_input', `jump host ${jumpId} is not a host of this engagement`);
    }
    if (selfId === null) return;
    const loop = this.ctx
      .sql<[string, string], { id: string }>(
        `WITH RECURSIVE chain(id) AS (
           SELECT ? UNION SELECT h.jump_host_id FROM host h JOIN chain c ON h.id = c.id WHERE h.jump_host_id IS NOT NULL
         ) SELECT id FROM chain WHERE id = ?`,
      )
      .get(jumpId, selfId);
    if (loop)
      throw new FoureyesError('bad_input', `jump host "${jump.name}" leads back to this host (a loop)`);
  }
}
