/**
 * Scan owners (schema 0005): this process registers itself when it starts a scan, beats while it has scans
 * running, and is the only one allowed to change them. Whether another owner is gone is decided in lease.ts.
 */
import { HEARTBEAT_MS, ownerLiveness, type Liveness, type OwnerRow } from '../lease.js';
import type { StoreContext } from '../context.js';

const COLUMNS = 'id, machine, hostname, boot_id, pid_ns, pid, pid_start, started_at, heartbeat_at';
/** How long a heartbeat waits for another connection's write lock before skipping this beat. */
const BEAT_BUSY_MS = 250;

export class OwnersRepo {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: StoreContext) {}

  /** This process's owner id. */
  get myId(): string {
    return this.ctx.owner.id;
  }

  /** Registers this process as an owner, or refreshes its heartbeat (inside the caller's transaction). */
  register(): void {
    const o = this.ctx.owner;
    const at = this.ctx.now();
    this.ctx
      .sql(
        `INSERT INTO scan_owner (${COLUMNS})
         VALUES (@id, @machine, @hostname, @bootId, @pidNs, @pid, @pidStart, @at, @at)
         ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`,
      )
      .run({ ...o, at });
  }

  /** Starts the heartbeat if it is not running; it stops by itself once this process has no running scan. */
  keepBeating(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      try {
        this.beat();
      } catch {
        // Best effort: a missed beat only brings the stale bound closer; it must never end the scan's process.
      }
    }, HEARTBEAT_MS);
    // Never what keeps a process alive.
    this.timer.unref();
  }

  /**
   * One heartbeat: a single UPDATE outside any transaction. When another connection holds the write lock for
   * long, this beat is skipped (the bound for a stale heartbeat is many beats long).
   */
  beat(): void {
    const db = this.ctx.db;
    if (!db.open) return this.stop();
    const running = this.ctx
      .sql<[string], { n: number }>("SELECT count(*) AS n FROM scan WHERE owner_id = ? AND status = 'running'")
      .get(this.myId);
    if (!running || running.n === 0) return this.stop();
    const before = db.pragma('busy_timeout', { simple: true }) as number;
    db.pragma(`busy_timeout = ${BEAT_BUSY_MS}`);
    try {
      this.ctx.sql('UPDATE scan_owner SET heartbeat_at = ? WHERE id = ?').run(this.ctx.now(), this.myId);
    } catch (e) {
      if (!(e instanceof Error && 'code' in e && String(e.code).startsWith('SQLITE_BUSY'))) throw e;
    } finally {
      db.pragma(`busy_timeout = ${Number(before)}`);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  row(id: string): OwnerRow | undefined {
    return this.ctx.sql<[string], OwnerRow>(`SELECT ${COLUMNS} FROM scan_owner WHERE id = ?`).get(id);
  }

  /** Whether the owner of a scan is still there; a scan without a recorded owner (before schema 0005) is not. */
  liveness(ownerId: string | null): Liveness {
    if (ownerId === this.myId) return { alive: true };
    const row = ownerId === null ? undefined : this.row(ownerId);
    if (!row) return { alive: false, why: 'no process is recorded as running it' };
    return ownerLiveness(row, this.ctx.owner, this.ctx.clock().getTime());
  }

  /** Who runs a scan, in words (for refusals). */
  describe(ownerId: string | null): string {
    const row = ownerId === null ? undefined : this.row(ownerId);
    return row ? `process ${row.pid} on ${row.hostname}` : 'no recorded process';
  }

  /** Removes the rows of owners that are gone and own no running scan. */
  forgetGone(): number {
    const rows = this.ctx
      .sql<[string], OwnerRow>(
        `SELECT ${COLUMNS} FROM scan_owner o WHERE id <> ?
           AND NOT EXISTS (SELECT 1 FROM scan s WHERE s.owner_id = o.id AND s.status = 'running')`,
      )
      .all(this.myId);
    let n = 0;
    for (const r of rows) {
      if (ownerLiveness(r, this.ctx.owner, this.ctx.clock().getTime()).alive) continue;
      n += this.ctx.sql('DELETE FROM scan_owner WHERE id = ?').run(r.id).changes;
    }
    return n;
  }
}
