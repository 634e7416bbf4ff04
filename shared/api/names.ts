/**
 * The names of every API method and event, without their schemas. Kept free of zod and of any import so that the
 * sandboxed Electron preload (bundled into one small file) can build its one-function-per-method bridge from it.
 * `contract.ts` and `events.ts` are typed against these lists, so a name cannot exist on one side only.
 */

/** Every method of the API contract, `<namespace>.<verb>`. */
export const METHOD_NAMES = [
  'app.info',
  'engagement.list',
  'engagement.create',
  'engagement.get',
  'engagement.archive',
  'host.list',
  'host.add',
  'host.update',
  'host.remove',
  'host.import',
  'hostKey.probe',
  'hostKey.accept',
  'scan.start',
  'scan.cancel',
  'scan.list',
  'scan.get',
  'results.query',
  'results.checkDetail',
  'dashboard.summary',
  'catalogue.list',
  'secret.status',
  'secret.remember',
  'secret.forget',
  'engagement.setApprovalsRequired',
  'person.list',
  'person.add',
  'person.import',
  'person.export',
  'session.current',
  'session.signIn',
  'session.signOut',
  'session.forgetKey',
  'finding.list',
  'finding.get',
  'finding.history',
  'finding.edit',
  'finding.submit',
  'finding.approve',
  'finding.reject',
  'finding.attach',
  'finding.detach',
  'finding.attachment',
  'finding.reviewQueue',
  'waiver.request',
  'waiver.approve',
  'waiver.reject',
  'waiver.revoke',
  'waiver.list',
  'attestation.list',
  'attestation.answer',
  'aaa.host',
  'aaa.engagement',
  'audit.list',
  'audit.verify',
  'review.export',
  'review.import',
  'review.list',
  'review.answer',
  'review.importAnswer',
  'export.build',
  'publish.confluence',
  'publish.jira',
  'publish.tokens',
  'publish.forgetToken',
] as const;
export type MethodName = (typeof METHOD_NAMES)[number];

/** Every event main pushes to the UI. */
export const EVENT_NAMES = ['scan.progress', 'scan.finished'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

const methodSet: ReadonlySet<string> = new Set(METHOD_NAMES);
const eventSet: ReadonlySet<string> = new Set(EVENT_NAMES);

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && methodSet.has(name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && eventSet.has(name);
}

/** Electron IPC channel of a method (one channel per method; nothing else is ever registered or invoked). */
export function methodChannel(method: MethodName): string {
  return `foureyes:call:${method}`;
}

/** Electron IPC channel of an event. */
export function eventChannel(event: EventName): string {
  return `foureyes:event:${event}`;
}
