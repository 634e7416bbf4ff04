/**
 * Opening a workspace: one SQLite file per workspace, WAL, foreign keys on, schema migrated at start-up.
 *
 * Nothing is written to a file before it is known to be a Foureyes workspace at a schema this build understands:
 * the header is read first (application id, schema version, whether it holds tables), and only then are WAL mode
 * and the migrations applied.
 */
import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { prepareWorkspaceFile } from './file-mode.js';
import { FoureyesError } from '../../shared/model/errors.js';
import { StoreContext, type Db } from './context.js';
import { migrate, newerSchemaError, userVersion, type MigrationReport } from './migrate.js';
import { APPLICATION_ID, LATEST_VERSION } from './migrations/index.js';
import { EngagementsRepo } from './repos/engagements.js';
import { FindingsRepo } from './repos/findings.js';
import { HostKeysRepo } from './repos/host-keys.js';
import { HostRunsRepo } from './repos/host-runs.js';
import { HostsRepo } from './repos/hosts.js';
import { ResultsRepo } from './repos/results.js';
import { ScansRepo } from './repos/scans.js';
import { SecretsRepo } from './repos/secrets.js';
import { PublishTokensRepo } from './repos/publish-tokens.js';
import { SnapshotsRepo } from './repos/snapshots.js';
import { OwnersRepo } from './repos/owners.js';
import { PeopleRepo } from './repos/people.js';
import { AuditRepo } from './repos/audit.js';
import { ReviewPackagesRepo } from './repos/review-packages.js';
import { WaiversRepo } from './repos/waivers.js';
import { AttestationsRepo } from './repos/attestations.js';
import { ScanDefinitionsRepo } from './repos/scan-definitions.js';
import type { OwnerIdentity } from './lease.js';

export interface OpenWorkspaceOptions {
  /** Create the file when it does not exist (default true). When false, a missing file is `not_found`. */
  create?: boolean;
  /** How long a statement waits for another connection's write lock, in ms (default 5000). */
  busyTimeoutMs?: number;
  /** Clock for stored timestamps (tests). */
  now?: () => Date;
  /** Who this connection is as a scan owner (default: this process; tests pose as another one). */
  owner?: OwnerIdentity;
}

/** An open workspace: the repositories over one connection. Close it when done. */
export class Workspace {
  readonly engagements: EngagementsRepo;
  readonly hosts: HostsRepo;
  readonly hostKeys: HostKeysRepo;
  readonly scans: ScansRepo;
  readonly hostRuns: HostRunsRepo;
  readonly results: ResultsRepo;
  readonly snapshots: SnapshotsRepo;
  /** Stored secrets: ciphertext only (see repos/secrets.ts). */
  readonly secrets: SecretsRepo;
  /** Remembered API tokens of publishing targets: ciphertext only (see repos/publish-tokens.ts). */
  readonly publishTokens: PublishTokensRepo;
  /** Which process runs which scan (lease.ts). */
  readonly owners: OwnersRepo;
  /** People and their keys (main/people/ makes and unlocks the keys). */
  readonly people: PeopleRepo;
  /** The audit trail's rows (main/audit/ appends and verifies). */
  readonly audit: AuditRepo;
  /** Findings, their host parts, review record and attachments (schema 0007). */
  readonly findings: FindingsRepo;
  /** Review packages received for an offline review (schema 0008). */
  readonly reviewPackages: ReviewPackagesRepo;
  /** Waivers and their decisions (schema 0009; main/waivers/ signs, verifies and applies them). */
  readonly waivers: WaiversRepo;
  /** Consultants' answers to attestation checks (schema 0012; main/services/attestations.ts signs them). */
  readonly attestations: AttestationsRepo;
  /** The pack and tailored check definitions and the attestation answers a scan ran with (schema 0013). */
  readonly scanDefinitions: ScanDefinitionsRepo;

  constructor(
    private readonly ctx: StoreContext,
    /** What the migration at open did. */
    readonly migration: MigrationReport,
  ) {
    this.engagements = new EngagementsRepo(ctx);
    this.hosts = new HostsRepo(ctx, this.engagements);
    this.hostKeys = new HostKeysRepo(ctx, this.hosts);
    this.snapshots = new SnapshotsRepo(ctx);
    this.results = new ResultsRepo(ctx);
    this.owners = new OwnersRepo(ctx);
    this.hostRuns = new HostRunsRepo(ctx, this.snapshots, this.results, this.owners);
    this.scans = new ScansRepo(ctx, this.engagements, this.hostRuns, this.owners);
    this.secrets = new SecretsRepo(ctx, this.hosts);
    this.publishTokens = new PublishTokensRepo(ctx);
    this.people = new PeopleRepo(ctx);
    this.audit = new AuditRepo(ctx);
    this.findings = new FindingsRepo(ctx);
    this.reviewPackages = new ReviewPackagesRepo(ctx);
    this.waivers = new WaiversRepo(ctx);
    this.attestations = new AttestationsRepo(ctx);
    this.scanDefinitions = new ScanDefinitionsRepo(ctx);
  }

  /** Runs `fn` in one transaction over several repositories (repository calls inside nest as savepoints). */
  tx<T>(fn: () => T): T {
    return this.ctx.tx(fn);
  }

  get path(): string {
    return this.ctx.path;
  }

  /** The connection, for pragmas and tests. Prefer the repositories. */
  get db(): Db {
    return this.ctx.db;
  }

  get schemaVersion(): number {
    return userVersion(this.ctx.db);
  }

  /**
   * Closes the connection (checkpointing the WAL). Scans this connection started and left running end as
   * `interrupted` first: nothing will write them any more.
   */
  close(): void {
    this.owners.stop();
    if (!this.ctx.db.open) return;
    try {
      this.scans.interruptOwnLeftovers();
    } catch {
      // Not written now, they are found once this process has ended, by the next one to open the workspace.
    }
    this.ctx.db.close();
  }
}

/**
 * Opens (or creates) the workspace at `path` and migrates it to the current schema. A new workspace's missing
 * directories are created with mode 0700 and the file with 0600; an existing file readable by others is narrowed to
 * 0600 when this user owns it.
 * Refuses, without modifying the file: a file that is not SQLite, a SQLite database of another application, and a
 * workspace written by a newer build.
 */
export function openWorkspace(path: string, opts: OpenWorkspaceOptions = {}): Workspace {
  const create = opts.create ?? true;
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new FoureyesError('store', `workspace ${path} is a directory, not a workspace file`);
  }
  if (!create && !existsSync(path)) throw new FoureyesError('not_found', `workspace ${path} does not exist`);
  // Customer data: the file (and its WAL and shared-memory files, which SQLite creates with the file's mode) is
  // readable by its owner only, in a directory made private when Foureyes creates it.
  prepareWorkspaceFile(path, { create });

  let db: Db;
  try {
    db = new Database(path, { fileMustExist: !create, timeout: opts.busyTimeoutMs ?? 5000 });
  } catch (e) {
    throw new FoureyesError(
      'store',
      `cannot open workspace ${path}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  try {
    checkHeader(db, path);
    // WAL: readers never block the writer; NORMAL is durable in WAL except for the last commits on power loss.
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal')
      throw new FoureyesError('store', `workspace ${path}: WAL mode refused (journal mode ${String(mode)})`);
    db.pragma('synchronous = NORMAL');
    // Must be set outside a transaction; it is per connection.
    db.pragma('foreign_keys = ON');
    const report = migrate(db, path);
    return new Workspace(new StoreContext(db, path, opts.now, opts.owner), report);
  } catch (e) {
    db.close();
    throw e;
  }
}

/** Reads only: decides whether `db` may be written by this build. */
function checkHeader(db: Db, path: string): void {
  let appId: number;
  let version: number;
  let tables: number;
  try {
    appId = db.pragma('application_id', { simple: true }) as number;
    version = userVersion(db);
    tables = (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new FoureyesError(
      'store',
      `${path} is not a Foureyes workspace (not a readable SQLite database: ${why})`,
    );
  }
  if (appId !== APPLICATION_ID && (appId !== 0 || tables > 0 || version > 0)) {
    throw new FoureyesError(
      'store',
      `${path} is not a Foureyes workspace (a SQLite database of another application)`,
    );
  }
  if (version > LATEST_VERSION) throw newerSchemaError(path, version, LATEST_VERSION);
}
