/**
 * Publishing over the API: a Confluence bundle (the bytes of its zip) into a space, as `foureyes publish
 * confluence` does (main/publish/confluence.ts), signed in the trail by the person signed in (`publish.confluence`,
 * unless a dry run). The token of the call is used for that call only. The publish state is kept beside the
 * workspace, in `publish/confluence-<digest>.json` (one file per bundle, the digest being the SHA-256 of its
 * integrity.json), so that a call the server stopped continues where it stopped when made again with the same bundle.
 * The findings of an engagement go to a Jira project as `foureyes publish jira` sends them (main/publish/jira.ts):
 * Jira's labels are the state, so a stopped call made again finishes the job; recorded as `publish.jira`.
 * Requests under way end when the services close.
 */
import { dirname, join } from 'node:path';
import type { HandlerInput, MethodOutput } from '../../shared/api/contract.js';
import { FoureyesError } from '../../shared/model/errors.js';
import type { PublishService } from '../api/services.js';
import type { Acting } from '../people/acting.js';
import { checkBaseUrl, checkToken, replyError, restClient, type RestAuth } from '../publish/common.js';
import {
  changedAnything,
  checkPageId,
  checkSpaceKey,
  PublishError,
  publishConfluence,
  recordConfluencePublish,
  type PublishResult,
} from '../publish/confluence.js';
import { appendEvent } from '../audit/trail.js';
import type { Catalogue } from '../catalogue/catalogue.js';
import { readEngagementExport, type ExportTool } from '../export/data.js';
import { requireFinal } from '../export/final.js';
import { jiraFields } from '../export/jira/fields.js';
import { publishJira, type JiraPublishResult, type PublishedIssue } from '../publish/jira.js';
import { openSecret, sealSecret } from '../secrets/envelope.js';
import type { SecretCipher, SecretStorageDecision } from '../secrets/policy.js';
import { localUserName } from '../ssh/paths.js';
import type { PublishService as TokenService } from '../store/repos/publish-tokens.js';
import type { Workspace } from '../store/db.js';

export interface PublishServiceOptions {
  workspacePath: string;
  /** The OS keychain's cipher when tokens may be remembered (the desktop app), with why or why not. */
  storage: { cipher: SecretCipher | null; decision: SecretStorageDecision };
  /** The local account remembering a token (recorded with it). */
  who?: () => string;
  /** For the Jira issues: the catalogue the findings' checks are read from, and the tool named in them. */
  catalogue: Catalogue;
  tool: ExportTool;
  /** Ends every request under way (the services closing). */
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** The directory of the API's publish state files: `publish/` beside the workspace file. */
export const publishStateDir = (workspacePath: string): string => join(dirname(workspacePath), 'publish');

export function publishService(ws: Workspace, o: PublishServiceOptions): PublishService {
  const stateDir = publishStateDir(o.workspacePath);
  const { cipher, decision } = o.storage;
  const who = o.who ?? (() => localUserName('unknown user'));
  const target = (service: TokenService, url: string, user: string | undefined) => ({
    service,
    url,
    user: user ?? '',
  });
  /** The token of a call: the one given, else the one remembered for the target (opened with the keychain). */
  const tokenOf = (t: ReturnType<typeof target>, given: string | undefined, remember: boolean): string => {
    const where = `${t.url}${t.user !== '' ? ` as ${t.user}` : ''}`;
    if (given !== undefined) {
      if (remember && !cipher)
        throw new FoureyesError(
          'bad_input',
          `the API token cannot be remembered on this computer: ${decision.detail}`,
        );
      return given;
    }
    const blob = ws.publishTokens.blob(t.service, t.url, t.user);
    if (!blob || !cipher)
      throw new FoureyesError(
        'bad_input',
        `API token is required: none is remembered for ${where} on this computer`,
      );
    const opened = openSecret(cipher, blob, t);
    if (!opened.ok)
      throw new FoureyesError(
        'bad_input',
        `the API token remembered for ${where} cannot be used (${opened.why === 'undecryptable' ? 'the keychain cannot open it' : 'it was kept for another target'}): give it again`,
      );
    return opened.secret;
  };
  /**
   * After a publish: a token given with `rememberToken` is kept once the server has answered a request with 2xx (a
   * token never sent, or refused, is not); a remembered token the server refused is named as such.
   */
  const settle = (
    t: ReturnType<typeof target>,
    given: string | undefined,
    remember: boolean,
    accepted: boolean,
    stopped: FoureyesError | null,
  ): FoureyesError | null => {
    if (remember && given !== undefined && cipher && accepted)
      ws.publishTokens.put(t.service, t.url, t.user, sealSecret(cipher, t, checkToken(given, 'API token')), who());
    if (given === undefined && stopped?.code === 'auth_failed')
      return new FoureyesError(
        'auth_failed',
        `the API token remembered for ${t.url}${t.user !== '' ? ` as ${t.user}` : ''} was refused (${stopped.message}): give a new one, or forget it`,
      );
    return stopped;
  };
  return {
    tokens: () => ({ persistent: cipher !== null, detail: decision.detail, tokens: ws.publishTokens.list() }),
    forgetToken: (input) => {
      const url = checkBaseUrl(input.url, 'URL');
      return { forgotten: ws.publishTokens.forget(input.service, url, input.user ?? '') };
    },
    async confluence(
      input: HandlerInput<'publish.confluence'>,
      acting: Acting,
    ): Promise<MethodOutput<'publish.confluence'>> {
      const url = checkBaseUrl(input.url, 'Confluence URL');
      const space = checkSpaceKey(input.space, 'Space key');
      const parentId =
        input.parentId !== undefined ? checkPageId(input.parentId, 'Parent page id') : undefined;
      const zip = Buffer.from(input.bundleBase64, 'base64');
      if (zip.toString('base64').replace(/=+$/, '') !== input.bundleBase64.replace(/=+$/, ''))
        throw new FoureyesError(
          'bad_input',
          'the bundle is not valid base64 (its length or padding is wrong)',
        );
      const t = target('confluence', url, input.user);
      const token = tokenOf(t, input.token, input.rememberToken);
      const auth: RestAuth =
        input.user !== undefined ? { kind: 'basic', user: input.user, token } : { kind: 'bearer', token };
      const client = restClient({
        baseUrl: url,
        auth,
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
      });
      let result: PublishResult;
      let stopped: FoureyesError | null = null;
      try {
        result = await publishConfluence({
          bundle: { zip, name: 'the bundle' },
          client,
          space,
          parentId,
          dryRun: input.dryRun,
          statePath: (digest) => join(stateDir, `confluence-${digest}.json`),
        });
      } catch (e) {
        if (!(e instanceof PublishError)) throw replyError(e, 'Confluence');
        stopped = e;
        result = e.result;
      }
      stopped = settle(t, input.token, input.rememberToken, client.accepted, stopped);
      if (!input.dryRun && (stopped === null || changedAnything(result)))
        recordConfluencePublish(ws, acting, result);
      const { statePath: _state, bundle: _bundle, ...shown } = result;
      return { ...shown, stopped: stopped ? { code: stopped.code, message: stopped.message } : null };
    },
    async jira(input: HandlerInput<'publish.jira'>, acting: Acting): Promise<MethodOutput<'publish.jira'>> {
      const url = checkBaseUrl(input.url, 'Jira URL');
      const engagement = ws.engagements.get(input.engagementId);
      if (!engagement)
        throw new FoureyesError('not_found', `engagement ${input.engagementId} does not exist`);
      if (input.final) requireFinal(ws, engagement.id, undefined, 'final');
      const data = readEngagementExport(ws, engagement.id, o.catalogue, { tool: o.tool });
      const fields = data.findings.map((f) =>
        jiraFields(f, { engagement: data.engagement, checks: data.checks }, { components: input.components }),
      );
      const t = target('jira', url, input.user);
      const token = tokenOf(t, input.token, input.rememberToken);
      const auth: RestAuth =
        input.user !== undefined ? { kind: 'basic', user: input.user, token } : { kind: 'bearer', token };
      const client = restClient({
        baseUrl: url,
        auth,
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
      });
      const done: PublishedIssue[] = [];
      let result: JiraPublishResult = { issues: done, duplicates: [] };
      let stopped: FoureyesError | null = null;
      try {
        result = await publishJira(client, fields, {
          project: input.project,
          issueType: input.issueType,
          dryRun: input.dryRun,
          onIssue: (i) => done.push(i),
        });
      } catch (e) {
        stopped = replyError(e, 'Jira');
      }
      stopped = settle(t, input.token, input.rememberToken, client.accepted, stopped);
      const issues = stopped === null ? result.issues : done;
      const count = (a: PublishedIssue['action']) => issues.filter((i) => i.action === a).length;
      if (!input.dryRun && (stopped === null || count('created') + count('updated') > 0))
        ws.tx(() =>
          appendEvent(ws, acting, {
            action: 'publish.jira',
            object: { type: 'engagement', id: engagement.id },
            details: {
              url,
              project: input.project,
              complete: stopped === null,
              created: count('created'),
              updated: count('updated'),
              unchanged: count('unchanged'),
            },
          }),
        );
      return {
        url,
        project: input.project,
        engagement: { id: engagement.id, name: engagement.name },
        dryRun: input.dryRun,
        complete: stopped === null,
        issues,
        duplicates: result.duplicates,
        stopped: stopped ? { code: stopped.code, message: stopped.message } : null,
      };
    },
  };
}
