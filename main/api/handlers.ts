/**
 * The handler table: one entry per contract method, each calling one service. Inputs arrive validated (registry.ts
 * parses them with the contract's schema first), outputs are checked against the contract on the way out.
 */
import type { HandlerInput, MethodOutput } from '../../shared/api/contract.js';
import type { MethodName } from '../../shared/api/names.js';
import { FoureyesError } from '../../shared/model/errors.js';
import type { Acting } from '../people/acting.js';
import type { AppEnv } from './app-env.js';
import { notSignedIn } from './registry.js';
import type { Awaitable, Services } from './services.js';

/** Who is calling: the transport, and the person signed in on this workstation (set by the dispatch). */
export interface CallContext {
  transport: 'ipc' | 'http';
  acting?: Acting;
}

/** The signed-in person of a call to a method the contract marks `signedIn` (the dispatch refused it otherwise). */
function signedIn(method: MethodName, c: CallContext): Acting {
  if (!c.acting) throw new FoureyesError('not_signed_in', notSignedIn(method).message);
  return c.acting;
}

export type Handler<M extends MethodName> = (
  input: HandlerInput<M>,
  ctx: CallContext,
) => Awaitable<MethodOutput<M>>;
export type HandlerTable = { readonly [M in MethodName]: Handler<M> };

export function createHandlers(services: Services, app: AppEnv): HandlerTable {
  const {
    engagements,
    hosts,
    hostKeys,
    scans,
    results,
    dashboard,
    catalogue,
    secrets,
    people,
    session,
    findings,
    waivers,
    attestations,
    aaa,
    audit,
    review,
    exports,
    publish,
  } = services;
  return {
    'app.info': () => ({
      name: app.name,
      version: app.version,
      mode: app.mode,
      workspacePath: app.workspacePath,
      platform: app.platform,
      secretStorage: app.secretStorage,
    }),
    'engagement.list': (i, c) => engagements.list(i, c.acting),
    'engagement.create': (i, c) => engagements.create(i, c.acting),
    'engagement.get': (i, c) => engagements.get(i, c.acting),
    'engagement.archive': (i, c) => engagements.archive(i, c.acting),
    'host.list': (i, c) => hosts.list(i, c.acting),
    'host.add': (i, c) => hosts.add(i, c.acting),
    'host.update': (i, c) => hosts.update(i, c.acting),
    'host.remove': (i, c) => hosts.remove(i, c.acting),
    'host.import': (i, c) => hosts.import(i, c.acting),
    'hostKey.probe': (i, c) => hostKeys.probe(i, c.acting),
    'hostKey.accept': (i, c) => hostKeys.accept(i, c.acting),
    'scan.start': (i, c) => scans.start(i, c.acting),
    'scan.cancel': (i, c) => scans.cancel(i, c.acting),
    'scan.list': (i, c) => scans.list(i, c.acting),
    'scan.get': (i, c) => scans.get(i, c.acting),
    'results.query': (i, c) => results.query(i, c.acting),
    'results.checkDetail': (i, c) => results.checkDetail(i, c.acting),
    'dashboard.summary': (i, c) => dashboard.summary(i, c.acting),
    'catalogue.list': (i, c) => catalogue.list(i, c.acting),
    'secret.status': (i, c) => secrets.status(i, c.acting),
    'secret.remember': (i, c) => secrets.remember(i, c.acting),
    'secret.forget': (i, c) => secrets.forget(i, c.acting),
    'engagement.setApprovalsRequired': (i, c) =>
      findings.setApprovalsRequired(i, signedIn('engagement.setApprovalsRequired', c)),
    'person.list': (i, c) => people.list(i, c.acting),
    'person.add': (i, c) => people.add(i, c.acting),
    'person.import': (i, c) => people.import(i, signedIn('person.import', c)),
    'person.export': (i, c) => people.export(i, c.acting),
    'session.current': (i) => session.current(i),
    'session.signIn': (i) => session.signIn(i),
    'session.signOut': (i) => session.signOut(i),
    'session.forgetKey': (i, c) => session.forgetKey(i, signedIn('session.forgetKey', c)),
    'finding.list': (i, c) => findings.list(i, c.acting),
    'finding.get': (i, c) => findings.get(i, c.acting),
    'finding.history': (i, c) => findings.history(i, c.acting),
    'finding.attachment': (i, c) => findings.attachment(i, c.acting),
    'finding.edit': (i, c) => findings.edit(i, signedIn('finding.edit', c)),
    'finding.submit': (i, c) => findings.submit(i, signedIn('finding.submit', c)),
    'finding.approve': (i, c) => findings.approve(i, signedIn('finding.approve', c)),
    'finding.reject': (i, c) => findings.reject(i, signedIn('finding.reject', c)),
    'finding.attach': (i, c) => findings.attach(i, signedIn('finding.attach', c)),
    'finding.detach': (i, c) => findings.detach(i, signedIn('finding.detach', c)),
    'finding.reviewQueue': (i, c) => findings.reviewQueue(i, signedIn('finding.reviewQueue', c)),
    'waiver.request': (i, c) => waivers.request(i, signedIn('waiver.request', c)),
    'waiver.approve': (i, c) => waivers.approve(i, signedIn('waiver.approve', c)),
    'waiver.reject': (i, c) => waivers.reject(i, signedIn('waiver.reject', c)),
    'waiver.revoke': (i, c) => waivers.revoke(i, signedIn('waiver.revoke', c)),
    'waiver.list': (i, c) => waivers.list(i, c.acting),
    'attestation.list': (i, c) => attestations.list(i, c.acting),
    'attestation.answer': (i, c) => attestations.answer(i, signedIn('attestation.answer', c)),
    'aaa.host': (i, c) => aaa.host(i, c.acting),
    'aaa.engagement': (i, c) => aaa.engagement(i, c.acting),
    'audit.list': (i, c) => audit.list(i, c.acting),
    'audit.verify': (i, c) => audit.verify(i, c.acting),
    'review.export': (i, c) => review.export(i, signedIn('review.export', c)),
    'review.import': (i, c) => review.import(i, signedIn('review.import', c)),
    'review.list': (i, c) => review.list(i, c.acting),
    'review.answer': (i, c) => review.answer(i, signedIn('review.answer', c)),
    'review.importAnswer': (i, c) => review.importAnswer(i, signedIn('review.importAnswer', c)),
    'export.build': (i, c) => exports.build(i, signedIn('export.build', c)),
    'publish.confluence': (i, c) => publish.confluence(i, signedIn('publish.confluence', c)),
    'publish.jira': (i, c) => publish.jira(i, signedIn('publish.jira', c)),
    'publish.tokens': (i, c) => publish.tokens(i, c.acting),
    'publish.forgetToken': (i, c) => publish.forgetToken(i, signedIn('publish.forgetToken', c)),
  };
}
