/**
 * The API contract: every call the UI can make, with its input and output schema and what it does. The same table
 * drives the Electron IPC transport, the browser bridge and the typed client, and main validates every input with
 * it at the boundary. Replies are `Reply<Output>` (see reply.ts); long jobs return an id at once and report
 * progress as events carrying that id (see events.ts).
 *
 * Inputs are strict: an unknown field is refused (bad_input naming it). Outputs are stripped to the schema, so a
 * service cannot leak a field the contract does not name.
 */
import { z } from 'zod';
import type { MethodName } from './names.js';
import { IdSchema, NoInputSchema, PagingSchema, TimestampSchema, pageOf, textInput } from './schemas/common.js';
import {
  EngagementCreateSchema,
  EngagementSchema,
  FingerprintSchema,
  HostChangesSchema,
  HostImportInputSchema,
  HostImportResultSchema,
  HostInputSchema,
  HostKeyAcceptanceSchema,
  HostKeyProbeSchema,
  HostListInputSchema,
  HostPageSchema,
  HostSchema,
} from './schemas/workspace.js';
import { HostRunSchema, ScanStartInputSchema, ScanStateSchema, ScanSummarySchema } from './schemas/scans.js';
import {
  CheckDetailSchema,
  DashboardSummarySchema,
  ResultsPageSchema,
  ResultsQueryInputSchema,
} from './schemas/results.js';
import { CatalogueListSchema } from './schemas/catalogue.js';
import {
  SecretForgetInputSchema,
  SecretForgetResultSchema,
  SecretRememberInputSchema,
  SecretStatusSchema,
  StoredSecretSchema,
} from './schemas/secrets.js';

export { METHOD_NAMES, isMethodName, type MethodName } from './names.js';

/** One method: what it does, what it takes, what it gives back. */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  doc: string;
  input: I;
  output: O;
}

const method = <I extends z.ZodType, O extends z.ZodType>(
  doc: string,
  input: I,
  output: O,
): MethodSpec<I, O> => ({
  doc,
  input,
  output,
});

export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** electron: desktop window; browser: the 127.0.0.1 bridge. */
  mode: z.enum(['electron', 'browser']),
  /** Workspace file (SQLite) in use. */
  workspacePath: z.string(),
  platform: z.string(),
  /** Whether secrets can be kept encrypted by the OS; when not, they are asked for each time. */
  secretStorage: z.object({ persistent: z.boolean(), detail: z.string() }),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

const EngagementRef = z.strictObject({ engagementId: IdSchema });
const HostRef = z.strictObject({ hostId: IdSchema });
const ScanRef = z.strictObject({ scanId: IdSchema });

export const CONTRACT = {
  'app.info': method(
    'Name, version, mode and workspace of the running application.',
    NoInputSchema,
    AppInfoSchema,
  ),

  'engagement.list': method(
    'Engagements, newest first. Archived ones only when includeArchived is true.',
    z.strictObject({ includeArchived: z.boolean().default(false) }),
    z.object({ engagements: z.array(EngagementSchema) }),
  ),
  'engagement.create': method(
    'Create an engagement (a customer assessment).',
    EngagementCreateSchema,
    EngagementSchema,
  ),
  'engagement.get': method(
    'One engagement with its host and scan counts. not_found when the id is unknown.',
    EngagementRef,
    EngagementSchema.extend({
      hostCount: z.number().int().min(0),
      scanCount: z.number().int().min(0),
      lastScanAt: TimestampSchema.nullable(),
    }),
  ),
  'engagement.archive': method(
    'Archive an engagement: it becomes read-only and leaves the default list. Its data stays.',
    EngagementRef,
    EngagementSchema,
  ),

  'host.list': method(
    'One page of an engagement’s hosts, by name (at most 1000 a call, the total alongside); with how each host’s ' +
      'latest run that reached the target ran (as root, through sudo, or unprivileged: the privilege as a scan ' +
      'found it, not as configured), and the names of jump hosts on other pages.',
    HostListInputSchema,
    HostPageSchema,
  ),
  'host.add': method(
    'Add one host to an engagement. bad_input when the name is already taken in the engagement.',
    z.strictObject({ engagementId: IdSchema, host: HostInputSchema }),
    HostSchema,
  ),
  'host.update': method(
    'Change some fields of a host. Changing the address or port clears its pinned host key. Stored secrets that ' +
      'no longer fit are forgotten (see secret.forget).',
    z.strictObject({ hostId: IdSchema, changes: HostChangesSchema }),
    HostSchema,
  ),
  'host.remove': method(
    'Remove a host from the inventory. Past scan results keep the host name they were taken under.',
    HostRef,
    z.object({ hostId: IdSchema }),
  ),
  'host.import': method(
    'Parse an inventory (CSV, Ansible INI or YAML, ssh_config) and add its hosts, all in one transaction. Returns ' +
      'the hosts parsed and added (at most 1000 of each listed, with their counts) and one error per line that ' +
      'could not be used (at most 1000 listed); with dryRun nothing ' +
      'is stored. A file of more than 10,000 hosts is refused whole (bad_input naming the file and both counts). ' +
      'The file is read off the main thread, so other calls are answered meanwhile; imports run one at a time.',
    HostImportInputSchema,
    HostImportResultSchema,
  ),

  'hostKey.probe': method(
    'Connect to the host only far enough to see the host key it presents (no authentication) and compare it with ' +
      'the pinned and known keys.',
    HostRef,
    HostKeyProbeSchema,
  ),
  'hostKey.accept': method(
    'Record that the user accepted this fingerprint for the host (after checking it out of band). Later scans ' +
      'refuse any other key. The acceptance is audited.',
    z.strictObject({
      hostId: IdSchema,
      fingerprint: FingerprintSchema,
      /** Why the key is trusted (how it was checked out of band); recorded in the audit trail. */
      reason: textInput(1000, 'Reason').optional(),
    }),
    HostKeyAcceptanceSchema,
  ),

  'scan.start': method(
    'Start a scan of some hosts of an engagement and return its id at once. Progress comes as scan.progress ' +
      'events (one per host state change) and a final scan.finished event.',
    ScanStartInputSchema,
    z.object({ scanId: IdSchema }),
  ),
  'scan.cancel': method(
    'Cancel a running scan: open connections are closed, unfinished host runs end as cancelled.',
    ScanRef,
    z.object({ scanId: IdSchema, state: ScanStateSchema }),
  ),
  'scan.list': method(
    'Scans of an engagement, newest first.',
    z.strictObject({ engagementId: IdSchema, paging: PagingSchema.default({ offset: 0, limit: 100 }) }),
    pageOf(ScanSummarySchema),
  ),
  'scan.get': method(
    'One scan with its host runs (state, timings, error, counts).',
    ScanRef,
    z.object({ scan: ScanSummarySchema, hostRuns: z.array(HostRunSchema) }),
  ),

  'results.query': method(
    'Results of a scan, filtered, sorted and paged.',
    ResultsQueryInputSchema,
    ResultsPageSchema,
  ),
  'results.checkDetail': method(
    'One check on one host run: the result with its evidence, the check metadata and excerpts of the raw facts.',
    z.strictObject({ hostRunId: IdSchema, checkId: z.string().min(1).max(100) }),
    CheckDetailSchema,
  ),

  'dashboard.summary': method(
    'Per-host scores, verdict counts by family and severity for one scan (the latest by default), and the trend ' +
      'over the engagement’s scans.',
    z.strictObject({ engagementId: IdSchema, scanId: IdSchema.optional() }),
    DashboardSummarySchema,
  ),

  'catalogue.list': method(
    'Every check of the loaded catalogue, with its version.',
    NoInputSchema,
    CatalogueListSchema,
  ),

  'secret.status': method(
    'Which secrets (login, sudo) are stored for the hosts of an engagement, never their values; and whether ' +
      'secrets can be stored on this machine at all, with the reason.',
    EngagementRef,
    SecretStatusSchema,
  ),
  'secret.remember': method(
    'Store a host’s login secret (password or key passphrase) or sudo password between runs, encrypted by the OS ' +
      'keychain and bound to the host’s address, port, user and login method; it replaces a stored one. Refused ' +
      '(bad_input, naming why) where no keychain protects the key (browser mode, Linux without a keyring), and for a ' +
      'secret the host cannot use. Scans use a stored secret when none is given for the scan.',
    SecretRememberInputSchema,
    StoredSecretSchema,
  ),
  'secret.forget': method(
    'Delete a host’s stored secret of one purpose, or all of them. Changing a host’s address, port or user ' +
      'forgets both, changing its login method forgets the login secret.',
    SecretForgetInputSchema,
    SecretForgetResultSchema,
  ),
} as const satisfies Record<MethodName, MethodSpec>;

export type Contract = typeof CONTRACT;
/** What a caller passes (defaults not yet applied). */
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
/** What a handler receives (validated, defaults applied). */
export type HandlerInput<M extends MethodName> = z.output<Contract[M]['input']>;
/** What a method returns. */
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;
