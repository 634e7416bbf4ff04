/**
 * The handler table: one entry per contract method, each calling one service. Inputs arrive validated (registry.ts
 * parses them with the contract's schema first), outputs are checked against the contract on the way out.
 */
import type { HandlerInput, MethodOutput } from '../../shared/api/contract.js';
import type { MethodName } from '../../shared/api/names.js';
import type { AppEnv } from './app-env.js';
import type { Awaitable, Services } from './services.js';

/** Who is calling, as far as the transport knows. */
export interface CallContext {
  transport: 'ipc' | 'http';
}

export type Handler<M extends MethodName> = (
  input: HandlerInput<M>,
  ctx: CallContext,
) => Awaitable<MethodOutput<M>>;
export type HandlerTable = { readonly [M in MethodName]: Handler<M> };

export function createHandlers(services: Services, app: AppEnv): HandlerTable {
  const { engagements, hosts, hostKeys, scans, results, dashboard, catalogue, secrets } = services;
  return {
    'app.info': () => ({
      name: app.name,
      version: app.version,
      mode: app.mode,
      workspacePath: app.workspacePath,
      platform: app.platform,
      secretStorage: app.secretStorage,
    }),
    'engagement.list': (i) => engagements.list(i),
    'engagement.create': (i) => engagements.create(i),
    'engagement.get': (i) => engagements.get(i),
    'engagement.archive': (i) => engagements.archive(i),
    'host.list': (i) => hosts.list(i),
    'host.add': (i) => hosts.add(i),
    'host.update': (i) => hosts.update(i),
    'host.remove': (i) => hosts.remove(i),
    'host.import': (i) => hosts.import(i),
    'hostKey.probe': (i) => hostKeys.probe(i),
    'hostKey.accept': (i) => hostKeys.accept(i),
    'scan.start': (i) => scans.start(i),
    'scan.cancel': (i) => scans.cancel(i),
    'scan.list': (i) => scans.list(i),
    'scan.get': (i) => scans.get(i),
    'results.query': (i) => results.query(i),
    'results.checkDetail': (i) => results.checkDetail(i),
    'dashboard.summary': (i) => dashboard.summary(i),
    'catalogue.list': (i) => catalogue.list(i),
    'secret.status': (i) => secrets.status(i),
    'secret.remember': (i) => secrets.remember(i),
    'secret.forget': (i) => secrets.forget(i),
  };
}
