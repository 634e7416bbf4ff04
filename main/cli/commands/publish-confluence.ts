/**
 * `foureyes publish confluence --bundle PATH --url URL --space KEY [--parent ID] [--user EMAIL] [--token-file F]
 * [--state FILE] [--timeout S] [--dry-run] [--json] [--as NAME]`: uploads a Confluence bundle (a folder or zip
 * written by `foureyes export confluence`) to a Confluence server (main/publish/confluence.ts). The bundle must
 * verify against its signed integrity manifest. The API token comes from --token-file (a file only its owner can
 * read), FOUREYES_CONFLUENCE_TOKEN, or a prompt without echo; it is sent as a Bearer personal access token, or with
 * --user (Atlassian Cloud) as Basic EMAIL:TOKEN. `--dry-run` only looks pages and attachments up and says what would
 * change. With --as NAME, the publish is an event of the workspace's trail (`publish.confluence`, signed by that
 * person: the URL, space, counts and the bundle's digest), also when it stops half-way. Exit 0 when everything was
 * published, 2 when it stopped (what was published so far is printed, and the state file lets the next run continue).
 */
import { FoureyesError } from '../../../shared/model/errors.js';
import type { Acting } from '../../people/acting.js';
import { checkBaseUrl, readToken, replyError, restClient, type RestAuth } from '../../publish/common.js';
import {
  changedAnything,
  checkPageId,
  checkSpaceKey,
  PublishError,
  publishConfluence,
  recordConfluencePublish,
  TOKEN_ENV,
  type PublishItem,
  type PublishResult,
} from '../../publish/confluence.js';
import type { Workspace } from '../../store/db.js';
import { actingFromCli } from '../acting.js';
import { promptSecret } from '../prompt.js';
import { term, termJson } from '../term.js';
import { openExisting } from '../workspace.js';

type Opts = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function itemLine(i: PublishItem, dryRun: boolean): string {
  const verb =
    dryRun && (i.action === 'created' || i.action === 'updated') ? `would be ${i.action}` : i.action;
  const what =
    i.kind === 'page'
      ? `page "${term(i.title)}"${i.id !== null ? ` (id ${term(i.id)})` : ''}`
      : `attachment ${term(i.name ?? '')} of "${term(i.title)}"`;
  return `${verb.padEnd(16)} ${what}\n`;
}

function summary(r: PublishResult): string {
  const p = r.pages;
  const a = r.attachments;
  const pages = [
    `${p.created} created`,
    `${p.updated} updated`,
    `${p.unchanged} unchanged`,
    ...(p.doneBefore > 0 ? [`${p.doneBefore} done by the run before`] : []),
  ].join(', ');
  const how = r.dryRun ? 'dry run, nothing changed: ' : r.complete ? '' : 'stopped, so far: ';
  return (
    `${term(r.url)} space ${term(r.space)}: ${how}pages ${pages}; attachments ${a.created} created, ` +
    `${a.updated} updated, ${a.unchanged} unchanged\n`
  );
}

export async function publishConfluenceCommand(o: Opts): Promise<number> {
  const bundle = str(o.bundle);
  if (bundle === undefined)
    throw new FoureyesError('bad_input', '--bundle PATH is required (a bundle folder or zip)');
  const rawUrl = str(o.url);
  if (rawUrl === undefined)
    throw new FoureyesError('bad_input', '--url URL is required (the Confluence base URL)');
  const url = checkBaseUrl(rawUrl);
  const spaceArg = str(o.space);
  if (spaceArg === undefined) throw new FoureyesError('bad_input', '--space KEY is required');
  const space = checkSpaceKey(spaceArg);
  const parent = str(o.parent) !== undefined ? checkPageId(str(o.parent)!) : undefined;
  const timeoutArg = str(o.timeout) ?? '30';
  const timeout = Number(timeoutArg);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 3600)
    throw new FoureyesError(
      'bad_input',
      `--timeout: ${term(timeoutArg)} is not a number of seconds (1 to 3600)`,
    );
  const json = o.json === true;
  const dryRun = o.dryRun === true;
  const as = str(o.as);

  let ws: Workspace | undefined;
  try {
    let acting: Acting | undefined;
    if (as !== undefined) {
      ws = openExisting(str(o.workspace));
      acting = await actingFromCli(ws, as, { file: str(o.passphraseFile) });
    }
    const token = await readToken({
      file: str(o.tokenFile),
      envName: TOKEN_ENV,
      ask: promptSecret,
      label: `Confluence API token for ${term(url)}`,
    });
    const user = str(o.user);
    const auth: RestAuth = user !== undefined ? { kind: 'basic', user, token } : { kind: 'bearer', token };
    const client = restClient({ baseUrl: url, auth, timeoutMs: timeout * 1000 });
    let result: PublishResult;
    let stopped: PublishError | undefined;
    try {
      result = await publishConfluence({
        bundle,
        client,
        space,
        parentId: parent,
        dryRun,
        statePath: str(o.state),
        onItem: json ? undefined : (i) => process.stdout.write(itemLine(i, dryRun)),
      });
    } catch (e) {
      if (!(e instanceof PublishError)) throw replyError(e, 'Confluence');
      stopped = e;
      result = e.result;
    }
    if (ws && acting && !dryRun && (stopped === undefined || changedAnything(result)))
      recordConfluencePublish(ws, acting, result);
    if (json) {
      const out = stopped ? { ...result, error: { code: stopped.code, message: stopped.message } } : result;
      process.stdout.write(`${termJson(out)}\n`);
    } else {
      process.stdout.write(summary(result));
      if (!dryRun && stopped)
        process.stdout.write(`state kept in ${term(result.statePath)}: run again to continue\n`);
    }
    if (stopped) {
      process.stderr.write(`foureyes: ${term(stopped.message)}\n`);
      return 2;
    }
    return 0;
  } finally {
    ws?.close();
  }
}
