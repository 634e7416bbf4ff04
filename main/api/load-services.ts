/**
 * Loads the application's services from the composition root (main/services/index.ts, exporting
 * `createServices: ServicesFactory`). Until that module exists, every service method fails with a clear
 * 'internal' error, so the shell, the bridge and app.info still run.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FoureyesError } from '../../shared/model/errors.js';
import type { Services, ServicesContext, ServicesFactory } from './services.js';

const COMPOSITION_ROOT = '../services/index.js';

export async function loadServices(ctx: ServicesContext): Promise<Services> {
  const url = new URL(COMPOSITION_ROOT, import.meta.url);
  const file = fileURLToPath(url);
  // Source (tsx) or built (dist) layout.
  if (!existsSync(file) && !existsSync(file.replace(/\.js$/, '.ts'))) return unavailableServices();
  // A variable specifier: the composition root is built elsewhere and may not exist yet.
  const specifier: string = url.href;
  const mod = (await import(specifier)) as { createServices?: ServicesFactory };
  if (typeof mod.createServices !== 'function') {
    throw new FoureyesError('internal', `${COMPOSITION_ROOT} does not export createServices`);
  }
  return mod.createServices(ctx);
}

/** Services that all refuse with one clear message (used while the composition root is missing). */
export function unavailableServices(): Services {
  const refuse = (name: string) => () => {
    throw new FoureyesError(
      'internal',
      `${name} is not available in this build (no services composition root)`,
    );
  };
  const domain = <K extends string>(ns: string, verbs: readonly K[]) =>
    Object.fromEntries(verbs.map((v) => [v, refuse(`${ns}.${v}`)])) as Record<K, () => never>;
  return {
    engagements: domain('engagement', ['list', 'create', 'get', 'archive']),
    hosts: domain('host', ['list', 'add', 'update', 'remove', 'import']),
    hostKeys: domain('hostKey', ['probe', 'accept']),
    scans: domain('scan', ['start', 'cancel', 'list', 'get']),
    results: domain('results', ['query', 'checkDetail']),
    dashboard: domain('dashboard', ['summary']),
    catalogue: domain('catalogue', ['list']),
    secrets: domain('secret', ['status', 'remember', 'forget']),
    people: domain('person', ['list', 'add', 'import', 'export']),
    session: { ...domain('session', ['current', 'signIn', 'signOut', 'forgetKey']), acting: () => undefined },
    findings: domain('finding', [
      'list',
      'get',
      'history',
      'attachment',
      'edit',
      'submit',
      'approve',
      'reject',
      'attach',
      'detach',
      'reviewQueue',
      'setApprovalsRequired',
    ]),
    waivers: domain('waiver', ['request', 'approve', 'reject', 'revoke', 'list']),
    attestations: domain('attestation', ['list', 'answer']),
    aaa: domain('aaa', ['host', 'engagement']),
    audit: domain('audit', ['list', 'verify']),
    review: domain('review', ['export', 'import', 'list', 'answer', 'importAnswer']),
    exports: domain('export', ['build']),
    publish: domain('publish', ['confluence', 'jira', 'tokens', 'forgetToken']),
    close: () => undefined,
  };
}
