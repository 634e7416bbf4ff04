/**
 * The API contract: every call the UI can make, with its input and output schema and what it does. The same table
 * drives the Electron IPC transport, the browser bridge and the typed client, and main validates every input with
 * it at the boundary. Replies are `Reply<Output>` (see reply.ts); long jobs return an id at once and report
 * progress as events carrying that id (see events.ts).
 *
 * Inputs are strict: an unknown field is refused (bad_input naming it). Outputs are stripped to the schema, so a
 * service cannot leak a field the contract does not name.
 *
 * Who is acting: main keeps the person signed in on the running workstation (`session.signIn`); every call carries
 * that person to the services, which record it in the audit trail. A method marked `signedIn: true` changes what
 * must be signed by a person (findings, people, the review) and is refused with `not_signed_in` while nobody is.
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
import { HostRunViewSchema, ScanStartInputSchema, ScanStateSchema, ScanSummarySchema } from './schemas/scans.js';
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
import {
  ApprovalsRequiredInputSchema,
  ApprovalsRequiredSchema,
  AttachmentContentSchema,
  AttachmentSchema,
  FindingApproveInputSchema,
  FindingApproveResultSchema,
  FindingAttachInputSchema,
  FindingChangeSchema,
  FindingDetachInputSchema,
  FindingDetailViewSchema,
  FindingEditInputSchema,
  FindingGetInputSchema,
  FindingHistoryInputSchema,
  FindingListInputSchema,
  FindingListItemSchema,
  FindingPageSchema,
  FindingRejectInputSchema,
  FindingSchema,
  FindingSubmitInputSchema,
  ReviewQueueInputSchema,
} from './schemas/findings.js';
import {
  PersonAddInputSchema,
  PersonExportSchema,
  PersonImportInputSchema,
  PersonSchema,
  SessionSchema,
  SignInInputSchema,
} from './schemas/people.js';
import { AuditListInputSchema, AuditPageSchema, TrailReportSchema } from './schemas/audit.js';
import {
  ReviewAnswerInputSchema,
  ReviewAnswerOutcomeSchema,
  ReviewAnswerResultSchema,
  ReviewExportInputSchema,
  ReviewExportResultSchema,
  ReviewFileInputSchema,
  ReviewListSchema,
  ReviewPackageSummarySchema,
} from './schemas/review.js';
import { ExportBuildInputSchema, ExportBuildResultSchema } from './schemas/exports.js';
import {
  AttestationAnswerInputSchema,
  AttestationItemSchema,
  AttestationListInputSchema,
  AttestationListSchema,
} from './schemas/attestations.js';
import { AaaEngagementInputSchema, AaaEngagementSchema, AaaHostInputSchema, AaaHostSchema } from './schemas/aaa.js';
import {
  WaiverApproveInputSchema,
  WaiverListInputSchema,
  WaiverListItemSchema,
  WaiverListSchema,
  WaiverRejectInputSchema,
  WaiverRequestInputSchema,
  WaiverRevokeInputSchema,
} from './schemas/waivers.js';
import {
  PublishConfluenceInputSchema,
  PublishConfluenceResultSchema,
  PublishForgetTokenInputSchema,
  PublishForgetTokenResultSchema,
  PublishJiraInputSchema,
  PublishJiraResultSchema,
  PublishTokensSchema,
} from './schemas/publish.js';

export { METHOD_NAMES, isMethodName, type MethodName } from './names.js';

/** One method: what it does, what it takes, what it gives back. */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  doc: string;
  input: I;
  output: O;
  /** Refused with `not_signed_in` unless a person is signed in. */
  signedIn: boolean;
}

const method = <I extends z.ZodType, O extends z.ZodType>(
  doc: string,
  input: I,
  output: O,
  opts: { signedIn?: boolean } = {},
): MethodSpec<I, O> => ({
  doc,
  input,
  output,
  signedIn: opts.signedIn ?? false,
});

const signedIn = { signedIn: true };

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
    z.object({ scan: ScanSummarySchema, hostRuns: z.array(HostRunViewSchema) }),
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

  'engagement.setApprovalsRequired': method(
    'Set how many distinct people must approve each finding of the engagement (1 to 9). Findings already decided ' +
      'follow: approved with too few go back to review, in review with enough become approved. Audited.',
    ApprovalsRequiredInputSchema,
    ApprovalsRequiredSchema,
    signedIn,
  ),

  'person.list': method(
    'Everyone the workspace knows: people of this workstation (origin local) and imported colleagues, in the ' +
      'order they were added. Public fields only.',
    NoInputSchema,
    z.object({ people: z.array(PersonSchema) }),
  ),
  'person.add': method(
    'Add a person of this workstation with a new Ed25519 key pair; the passphrase (8 characters at least) ' +
      'encrypts the private key and is never stored nor returned. The first person may be added while nobody is ' +
      'signed in (they sign their own entry in the trail); after that, a signed-in person adds others.',
    PersonAddInputSchema,
    PersonSchema,
  ),
  'person.import': method(
    'Import a colleague’s public profile (the text person.export gives), for reviews made on their workstation. ' +
      'Refused naming the field when the profile is not valid or its fingerprint does not match its key. Audited.',
    PersonImportInputSchema,
    PersonSchema,
    signedIn,
  ),
  'person.export': method(
    'A person’s public profile (name, role, email, public key, fingerprint; nothing secret) as the text of a file ' +
      'to hand to a colleague’s workstation.',
    z.strictObject({ personId: IdSchema }),
    PersonExportSchema,
  ),

  'session.current': method(
    'Who is signed in on this running workstation (null: nobody).',
    NoInputSchema,
    SessionSchema,
  ),
  'session.signIn': method(
    'Sign in as a person of this workstation: their passphrase unlocks their signing key, which stays in main’s ' +
      'memory for this run only (never sent back, never stored). Replaces whoever was signed in. auth_failed for a ' +
      'wrong passphrase; bad_input for an imported colleague (their key is not here). Without a passphrase, the ' +
      'key this computer’s keychain sealed for the person is opened; with `remember`, the key is sealed for that.',
    SignInInputSchema,
    SessionSchema,
  ),
  'session.forgetKey': method(
    'Removes the copy of a person’s key sealed by this computer’s keychain (their passphrase is needed again). ' +
      'Recorded in the trail by whoever is signed in.',
    z.strictObject({ personId: IdSchema }),
    SessionSchema,
  ),
  'session.signOut': method(
    'Sign out: the signing key is dropped from memory. Calls that need a person are refused until the next sign-in.',
    NoInputSchema,
    SessionSchema,
  ),

  'finding.list': method(
    'One page of an engagement’s findings, filtered by severity, status, review state, host and owner, sorted ' +
      '(severity by rank; ties by title), with their hosts counted and their approvals against what is required.',
    FindingListInputSchema,
    FindingPageSchema,
  ),
  'finding.get': method(
    'One finding with a page of its hosts’ parts (state, evidence of the last scan), attachments, authors and every ' +
      'approval (voided ones with when and why).',
    FindingGetInputSchema,
    FindingDetailViewSchema,
  ),
  'finding.history': method(
    'A page of a finding’s history, oldest first: who (or which scan) changed which field, when, before, after and why.',
    FindingHistoryInputSchema,
    pageOf(FindingChangeSchema),
  ),
  'finding.edit': method(
    'Change fields of a finding as the signed-in person, who becomes one of its authors. A severity other than the ' +
      'catalogue’s, false positive and accepted risk need a reason. Refused when the finding is no longer at ' +
      'expectedRevision. Any change voids its approvals and sends an approved finding back to review.',
    FindingEditInputSchema,
    FindingSchema,
    signedIn,
  ),
  'finding.submit': method(
    'Submit a draft finding for review (draft -> in review).',
    FindingSubmitInputSchema,
    FindingSchema,
    signedIn,
  ),
  'finding.approve': method(
    'Approve a finding in review: the signed-in person’s key signs the content hash of revision expectedRevision. ' +
      'not_permitted for an author of any part of it or its submitter (four-eye rule). Approved once the ' +
      'engagement’s number of distinct approvers have signed.',
    FindingApproveInputSchema,
    FindingApproveResultSchema,
    signedIn,
  ),
  'finding.reject': method(
    'Send a finding in review back to draft with a comment, voiding its approvals. Same four-eye rule as approve.',
    FindingRejectInputSchema,
    FindingSchema,
    signedIn,
  ),
  'finding.attach': method(
    'Attach a file (PNG, JPEG, GIF, WebP, PDF or plain text, typed by its content) to a finding; its bytes in ' +
      'base64, at most 6,000,000 bytes through the API. A new revision: approvals are voided.',
    FindingAttachInputSchema,
    AttachmentSchema,
    signedIn,
  ),
  'finding.detach': method(
    'Remove an attachment from its finding. A new revision: approvals are voided.',
    FindingDetachInputSchema,
    FindingSchema,
    signedIn,
  ),
  'finding.attachment': method(
    'An attachment with its bytes in base64 (typed by content when it was attached).',
    z.strictObject({ attachmentId: IdSchema }),
    AttachmentContentSchema,
  ),
  'finding.reviewQueue': method(
    'The signed-in person’s review queue: findings in review (of engagements not archived) that they may approve: ' +
      'not an author, not the submitter, not yet approved by them at this revision. Oldest change first.',
    ReviewQueueInputSchema,
    pageOf(FindingListItemSchema),
    signedIn,
  ),

  'waiver.request': method(
    'Ask to waive a check on one host (or, hostId null, on every host of the engagement): an accepted risk with a ' +
      'reason, the customer’s owner and an expiry date after today. It applies once a second person approves it.',
    WaiverRequestInputSchema,
    WaiverListItemSchema,
    signedIn,
  ),
  'waiver.approve': method(
    'Approve a requested waiver: the signed-in person’s key signs the hash of its content. not_permitted for the ' +
      'person who requested it (four-eye rule). From then until its expiry date its results show as waived.',
    WaiverApproveInputSchema,
    WaiverListItemSchema,
    signedIn,
  ),
  'waiver.reject': method(
    'Reject a requested waiver with a comment.',
    WaiverRejectInputSchema,
    WaiverListItemSchema,
    signedIn,
  ),
  'waiver.revoke': method(
    'Revoke an approved waiver with a reason: its results show their verdict again.',
    WaiverRevokeInputSchema,
    WaiverListItemSchema,
    signedIn,
  ),
  'waiver.list': method(
    'An engagement’s waivers by expiry date: state (requested, approved, rejected, revoked, lapsed), days until ' +
      'expiry, whether it applies now and, for an approved one that does not, why (its approval does not verify).',
    WaiverListInputSchema,
    WaiverListSchema,
  ),

  'attestation.list': method(
    'The questions of the catalogue that no command can answer (attestation checks), each with the engagement’s ' +
      'current answer (who, when, note) or null when not answered yet.',
    AttestationListInputSchema,
    AttestationListSchema,
  ),
  'attestation.answer': method(
    'Answer one attestation check for the engagement (yes, no or not_applicable, with a note saying what was seen): ' +
      'recorded signed in the audit trail; it decides that check on every host of the engagement’s later scans.',
    AttestationAnswerInputSchema,
    AttestationItemSchema,
    signedIn,
  ),

  'aaa.host': method(
    'The AAA view of one host run, from its stored snapshot: central directory or local accounts, each account with ' +
      'its state, keys and sudo rights, every sudo rule expanded to the local accounts it reaches, second factors, and ' +
      'the verdicts of the aaa checks grouped as log-in, authorised and recorded; what could not be read says why.',
    AaaHostInputSchema,
    AaaHostSchema,
  ),
  'aaa.engagement': method(
    'The AAA view across one scan of an engagement (its newest scan with a completed host run unless named): a row ' +
      'per host and the personal accounts with the hosts where each can log in, has sudo rights or SSH keys.',
    AaaEngagementInputSchema,
    AaaEngagementSchema,
  ),

  'audit.list': method(
    'A page of the audit trail, newest first, as stored (audit.verify says whether it holds); optionally only ' +
      'the events about one object.',
    AuditListInputSchema,
    AuditPageSchema,
  ),
  'audit.verify': method(
    'Recompute the trail’s chain and every signature: ok, the number of events and the head hash, or the first bad ' +
      'event with why.',
    NoInputSchema,
    TrailReportSchema,
  ),

  'review.export': method(
    'Export the findings of an engagement that are in review (or those named, each in review) as one review ' +
      'package signed by the signed-in person, for a reviewer on another workstation: its bytes in base64, its ' +
      'SHA-256 and a file name. Recorded in the trail (review.export) with the file hash and each finding’s revision.',
    ReviewExportInputSchema,
    ReviewExportResultSchema,
    signedIn,
  ),
  'review.import': method(
    'Receive a review package (its bytes in base64): verified whole (any byte changed, a signature that is not the ' +
      'exporter’s, an exporter known here with another key are refused naming what and where) and kept as a review ' +
      'to do; no finding is made of it. The exporter is added as a colleague if new. Audited.',
    ReviewFileInputSchema,
    ReviewPackageSummarySchema,
    signedIn,
  ),
  'review.list': method(
    'Review packages received here (to answer or answered) and exported from here (awaiting an answer or answered), ' +
      'newest first.',
    NoInputSchema,
    ReviewListSchema,
  ),
  'review.answer': method(
    'Answer a received review package: approve or reject (with a comment) each finding named; the signed-in ' +
      'person’s key signs each approval and the answer. Not for an author or the submitter of a finding (four-eye ' +
      'rule). A package is answered once. Gives the answer file’s bytes in base64. Audited.',
    ReviewAnswerInputSchema,
    ReviewAnswerResultSchema,
    signedIn,
  ),
  'review.importAnswer': method(
    'Apply a review answer (its bytes in base64) to the findings this workstation exported: verified whole and held ' +
      'to the export’s record; each decision is applied as an in-workspace review would be, or refused for that ' +
      'finding alone with the reason (edited since the export, reviewer not permitted). Audited.',
    ReviewFileInputSchema,
    ReviewAnswerOutcomeSchema,
    signedIn,
  ),

  'export.build': method(
    'Build one hand-over export of an engagement: the Confluence bundle (a zip, its integrity manifest signed by ' +
      'the signed-in person), the standalone report as HTML or PDF for an audience, the findings as a CSV for ' +
      'Jira, SARIF, JUnit or OHDF of a scan (default the newest), or the engagement JSON. Gives its bytes in ' +
      'base64 with a file name, media type and SHA-256. `final` is refused while a finding is not approved, ' +
      'naming them. The bundle and the report are recorded in the trail (export.confluence, export.html, export.pdf).',
    ExportBuildInputSchema,
    ExportBuildResultSchema,
    signedIn,
  ),
  'publish.confluence': method(
    'Publish a Confluence bundle (the base64 of its zip) into a space of a Confluence server, under a parent page ' +
      'if given: refused unless it verifies against its signed integrity manifest; each page found by title is ' +
      'updated (version + 1) only when it changed, otherwise created, attachments likewise by name, so the same ' +
      'bundle published twice changes nothing. The token is used for this call only, or remembered with ' +
        '`rememberToken` where the keychain encrypts; without one, the one remembered is used. When the server stops it (a ' +
      'page refused, the network), `stopped` says why and the same call continues where it stopped. Recorded in ' +
      'the trail (publish.confluence) unless a dry run.',
    PublishConfluenceInputSchema,
    PublishConfluenceResultSchema,
    signedIn,
  ),
  'publish.jira': method(
    'Publish the findings of an engagement as issues of a Jira project, as `foureyes publish jira` does: each ' +
      'finding’s issue found by its external-id label, created when there is none, otherwise updated with only ' +
      'the fields that differ, so publishing twice changes nothing. The token is used for this call only. When ' +
      'Jira stops it (an issue refused, the network), `stopped` says why and the same call finishes the job ' +
      'without making an issue twice. `final` refuses while a finding is not approved. Recorded in the trail ' +
      '(publish.jira) unless a dry run.',
    PublishJiraInputSchema,
    PublishJiraResultSchema,
    signedIn,
  ),
  'publish.tokens': method(
    'The publishing targets (service, URL, user) whose API token this computer remembers, without the tokens, and ' +
      'whether it can remember one (only where the OS keychain really encrypts: the desktop app).',
    NoInputSchema,
    PublishTokensSchema,
  ),
  'publish.forgetToken': method(
    'Forget the API token remembered for a publishing target (service, URL, user).',
    PublishForgetTokenInputSchema,
    PublishForgetTokenResultSchema,
    signedIn,
  ),
} as const satisfies Record<MethodName, MethodSpec>;

export type Contract = typeof CONTRACT;
/** What a caller passes (defaults not yet applied). */
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
/** What a handler receives (validated, defaults applied). */
export type HandlerInput<M extends MethodName> = z.output<Contract[M]['input']>;
/** What a method returns. */
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;
