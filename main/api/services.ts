/**
 * The services behind the API, as the handlers see them. One interface per domain; each method takes the input
 * already validated by the contract (defaults applied) and returns the contract's output. Methods may be
 * synchronous (better-sqlite3 is) or return a promise.
 *
 * Errors a user can act on are thrown as FoureyesError (code + message naming what and where); they reach the UI as
 * they are. Anything else becomes a generic 'internal' reply and the stack goes to the log.
 *
 * The application's composition root (main/services/index.ts) exports `createServices: ServicesFactory`; both
 * transports (Electron and the browser bridge) load it through load-services.ts.
 */
import type { HandlerInput, MethodOutput } from '../../shared/api/contract.js';
import type { MethodName } from '../../shared/api/names.js';
import type { RenderPdf } from '../export/report/index.js';
import type { Acting } from '../people/acting.js';
import type { SecretCipher, SecretStorageDecision } from '../secrets/policy.js';
import type { EmitEvent } from './event-hub.js';

export type Awaitable<T> = T | Promise<T>;
/** `acting`: who is acting; methods that change the workspace record an audit event when it is given. */
type Call<M extends MethodName> = (input: HandlerInput<M>, acting?: Acting) => Awaitable<MethodOutput<M>>;
/** A call only a signed-in person makes (the contract marks it `signedIn`; the dispatch refuses it otherwise). */
type ActingCall<M extends MethodName> = (input: HandlerInput<M>, acting: Acting) => Awaitable<MethodOutput<M>>;

export interface EngagementService {
  list: Call<'engagement.list'>;
  create: Call<'engagement.create'>;
  get: Call<'engagement.get'>;
  archive: Call<'engagement.archive'>;
}

export interface HostService {
  list: Call<'host.list'>;
  add: Call<'host.add'>;
  update: Call<'host.update'>;
  remove: Call<'host.remove'>;
  /** Parses the inventory text (bounded, untrusted) and, unless dryRun, stores the hosts parsed without error. */
  import: Call<'host.import'>;
}

export interface HostKeyService {
  /** Connects only as far as the key exchange; never authenticates. */
  probe: Call<'hostKey.probe'>;
  accept: Call<'hostKey.accept'>;
}

export interface ScanService {
  /** Returns at once with the scan id; progress goes out through the EmitEvent given to the factory. */
  start: Call<'scan.start'>;
  cancel: Call<'scan.cancel'>;
  list: Call<'scan.list'>;
  get: Call<'scan.get'>;
}

export interface ResultService {
  query: Call<'results.query'>;
  checkDetail: Call<'results.checkDetail'>;
}

export interface DashboardService {
  summary: Call<'dashboard.summary'>;
}

export interface CatalogueService {
  list: Call<'catalogue.list'>;
}

export interface SecretService {
  status: Call<'secret.status'>;
  /** Refused when no cipher was handed to the services (nothing is stored then). */
  remember: Call<'secret.remember'>;
  forget: Call<'secret.forget'>;
}

export interface PersonService {
  list: Call<'person.list'>;
  /** Without `acting` only while the workspace has no person of this workstation yet (the first one). */
  add: Call<'person.add'>;
  import: ActingCall<'person.import'>;
  export: Call<'person.export'>;
}

/** The person signed in on this running workstation; their unlocked key stays here, in main's memory only. */
export interface SessionService {
  current: Call<'session.current'>;
  signIn: Call<'session.signIn'>;
  signOut: Call<'session.signOut'>;
  forgetKey: ActingCall<'session.forgetKey'>;
  /** The signed-in person as an Acting (for the dispatch); undefined while nobody is signed in. */
  acting(): Acting | undefined;
}

/** Findings and their four-eye review (main/findings/ behind the contract's wire views). */
export interface FindingApiService {
  list: Call<'finding.list'>;
  get: Call<'finding.get'>;
  history: Call<'finding.history'>;
  attachment: Call<'finding.attachment'>;
  edit: ActingCall<'finding.edit'>;
  submit: ActingCall<'finding.submit'>;
  approve: ActingCall<'finding.approve'>;
  reject: ActingCall<'finding.reject'>;
  attach: ActingCall<'finding.attach'>;
  detach: ActingCall<'finding.detach'>;
  reviewQueue: ActingCall<'finding.reviewQueue'>;
  setApprovalsRequired: ActingCall<'engagement.setApprovalsRequired'>;
}

/** Waivers and their four-eye approval (main/services/waivers.ts). */
export interface WaiverApiService {
  request: ActingCall<'waiver.request'>;
  approve: ActingCall<'waiver.approve'>;
  reject: ActingCall<'waiver.reject'>;
  revoke: ActingCall<'waiver.revoke'>;
  list: Call<'waiver.list'>;
}

/** Attestations: the consultant's answers to what no command can show (main/services/attestations.ts). */
export interface AttestationApiService {
  list: Call<'attestation.list'>;
  answer: ActingCall<'attestation.answer'>;
}

/** The AAA view (main/services/aaa.ts). */
export interface AaaApiService {
  host: Call<'aaa.host'>;
  engagement: Call<'aaa.engagement'>;
}

export interface AuditService {
  list: Call<'audit.list'>;
  verify: Call<'audit.verify'>;
}

/** The offline review (main/review/): packages and answers as files' bytes in base64. */
export interface ReviewService {
  export: ActingCall<'review.export'>;
  import: ActingCall<'review.import'>;
  list: Call<'review.list'>;
  answer: ActingCall<'review.answer'>;
  importAnswer: ActingCall<'review.importAnswer'>;
}

/** The hand-over exports (main/services/exports.ts): one file per call, its bytes in base64. */
export interface ExportApiService {
  build: ActingCall<'export.build'>;
}

/** Publishing exports to servers (main/publish/ behind main/services/publish.ts). */
export interface PublishService {
  confluence: ActingCall<'publish.confluence'>;
  jira: ActingCall<'publish.jira'>;
  tokens: Call<'publish.tokens'>;
  forgetToken: ActingCall<'publish.forgetToken'>;
}

export interface Services {
  engagements: EngagementService;
  hosts: HostService;
  hostKeys: HostKeyService;
  scans: ScanService;
  results: ResultService;
  dashboard: DashboardService;
  catalogue: CatalogueService;
  secrets: SecretService;
  people: PersonService;
  session: SessionService;
  findings: FindingApiService;
  waivers: WaiverApiService;
  attestations: AttestationApiService;
  aaa: AaaApiService;
  audit: AuditService;
  review: ReviewService;
  exports: ExportApiService;
  publish: PublishService;
  /** Release resources (close connections, the database). Called once at shutdown. */
  close(): Awaitable<void>;
}

/** What the composition root receives from the launcher. */
export interface ServicesContext {
  /** Workspace file (SQLite) to open or create. */
  workspacePath: string;
  /** Push an event to every connected UI (validated against shared/api/events.ts). */
  emit: EmitEvent;
  /** How the UI is attached: an Electron window, or a browser through the 127.0.0.1 bridge. */
  mode: 'electron' | 'browser';
  /**
   * Encryption for secrets kept between runs; null when they must not be stored (browser mode, or Electron on
   * Linux without a keyring): then every secret is asked for when needed.
   */
  secrets: { cipher: SecretCipher | null; decision: SecretStorageDecision };
  /** Prints a report's HTML as PDF (Electron's printToPDF); without it, headless Chromium where installed. */
  renderPdf?: RenderPdf;
}

export type ServicesFactory = (ctx: ServicesContext) => Promise<Services>;
