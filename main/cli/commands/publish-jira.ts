/**
 * `foureyes publish jira --url URL --project KEY [--engagement E] [--token-file F] [--user EMAIL] [--issue-type T]
 * [--component NAME]... [--timeout S] [--final] [--dry-run] [--json]`: the findings of an engagement as issues of a
 * Jira project (main/publish/jira.ts, fields as the Jira CSV's). The engagement is --engagement, else that of the
 * newest scan. The workspace is only read. The API token comes from --token-file (a file only its owner can read),
 * FOUREYES_JIRA_TOKEN, or a prompt without echo; it is sent as a Bearer personal access token, or with --user
 * (Atlassian Cloud) as Basic EMAIL:TOKEN, and appears in no output. `--final` refuses while a finding is not
 * approved. Each issue is printed as it is done; exit 0 when every finding was published (or, with --dry-run,
 * looked up), 2 when it stopped (a refused issue, naming the finding and Jira's message; a dropped connection):
 * running it again finishes the job without making an issue twice.
 */
import { FoureyesError } from '../../../shared/model/errors.js';
import { loadCatalogueQuick } from '../../catalogue/catalogue.js';
import { readEngagementExport } from '../../export/data.js';
import { jiraFields } from '../../export/jira/fields.js';
import { checkBaseUrl, readToken, replyError, restClient, type RestAuth } from '../../publish/common.js';
import { PROJECT_KEY, TOKEN_ENV, publishJira, type PublishedIssue } from '../../publish/jira.js';
import { resolveEngagementId } from '../findings-service.js';
import { promptSecret } from '../prompt.js';
import { term, termJson } from '../term.js';
import { openExisting } from '../workspace.js';
import { requireFinal } from '../../export/final.js';
import { exportTool } from './export.js';

type Opts = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

const line = (i: PublishedIssue): string =>
  `${i.action.padEnd(12)} ${term(i.key ?? '-').padEnd(12)} ${i.findingId.slice(0, 8)} ${term(i.title)}${
    i.changed.length > 0 ? ` (${i.changed.join(', ')})` : ''
  }\n`;

export async function publishJiraCommand(o: Opts): Promise<number> {
  const rawUrl = str(o.url);
  if (rawUrl === undefined) throw new FoureyesError('bad_input', '--url URL is required (the Jira base URL)');
  const url = checkBaseUrl(rawUrl);
  const project = str(o.project);
  if (project === undefined) throw new FoureyesError('bad_input', '--project KEY is required');
  if (!PROJECT_KEY.test(project))
    throw new FoureyesError(
      'bad_input',
      `--project: ${JSON.stringify(project.slice(0, 100))} is not a Jira project key (upper-case letters, digits, _)`,
    );
  const timeoutArg = str(o.timeout) ?? '30';
  const timeout = Number(timeoutArg);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 3600)
    throw new FoureyesError(
      'bad_input',
      `--timeout: ${JSON.stringify(timeoutArg.slice(0, 40))} is not a number of seconds (1 to 3600)`,
    );
  const json = o.json === true;
  const dryRun = o.dryRun === true;
  const components = Array.isArray(o.component)
    ? o.component.filter((c): c is string => typeof c === 'string')
    : [];

  const ws = openExisting(str(o.workspace));
  let fields;
  let engagementName: string;
  try {
    const given = str(o.engagement);
    let engagementId = given !== undefined ? resolveEngagementId(ws, given) : undefined;
    if (engagementId === undefined) {
      const newest = ws.scans.latestScanId();
      engagementId = newest !== null ? ws.scans.get(newest)?.engagementId : undefined;
    }
    if (engagementId === undefined)
      throw new FoureyesError('not_found', `the workspace ${ws.path} has no scan yet: give --engagement`);
    if (o.final === true) requireFinal(ws, engagementId);
    const data = readEngagementExport(ws, engagementId, await loadCatalogueQuick(), { tool: exportTool() });
    engagementName = data.engagement.name;
    fields = data.findings.map((f) =>
      jiraFields(f, { engagement: data.engagement, checks: data.checks }, { components }),
    );
  } finally {
    ws.close();
  }

  const token = await readToken({
    file: str(o.tokenFile),
    envName: TOKEN_ENV,
    ask: promptSecret,
    label: `Jira API token for ${term(url)}`,
  });
  const user = str(o.user);
  const auth: RestAuth = user !== undefined ? { kind: 'basic', user, token } : { kind: 'bearer', token };
  const client = restClient({ baseUrl: url, auth, timeoutMs: timeout * 1000 });
  const done: PublishedIssue[] = [];
  let duplicates: { externalId: string; keys: string[] }[] = [];
  let error: string | null = null;
  try {
    const r = await publishJira(client, fields, {
      project,
      issueType: str(o.issueType) ?? 'Task',
      dryRun,
      onIssue: (i) => {
        done.push(i);
        if (!json) process.stdout.write(line(i));
      },
    });
    duplicates = r.duplicates;
  } catch (e) {
    error = replyError(e, 'Jira').message;
  }
  const count = (a: PublishedIssue['action']) => done.filter((i) => i.action === a).length;
  if (json) {
    process.stdout.write(
      `${termJson({ url, project, engagement: engagementName, dryRun, complete: error === null, issues: done, duplicates, error })}\n`,
    );
  } else {
    for (const d of duplicates)
      process.stdout.write(
        `several issues carry ${d.externalId}: ${d.keys.map(term).join(', ')} (${term(d.keys[0]!)} is kept up to date)\n`,
      );
    const counts = dryRun
      ? `dry run, nothing changed: ${count('would create')} would be created, ${count('would update')} updated, ${count('unchanged')} unchanged`
      : `${error === null ? '' : 'stopped, so far: '}${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged`;
    process.stdout.write(
      `${term(url)} project ${project}: ${counts} (${fields.length} finding${fields.length === 1 ? '' : 's'} of ${term(JSON.stringify(engagementName))})\n`,
    );
  }
  if (error !== null) {
    process.stderr.write(`foureyes: ${term(error)}\n`);
    if (!json)
      process.stderr.write(
        'foureyes: run it again to finish: the issues made so far are found by their labels\n',
      );
    return 2;
  }
  return 0;
}
