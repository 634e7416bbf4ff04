/**
 * Publishing the findings of an engagement to a Jira project over REST v2: one issue per finding, its fields
 * those of the CSV (main/export/jira/fields.ts). The issue of a finding is the one carrying its external-id label
 * (`foureyes-<20 hex>`, the same for the same engagement and finding on every workstation), so Jira itself holds
 * what was done: first the project is searched for every finding's label (POST /rest/api/2/search, or on a Cloud
 * site that no longer has it POST /rest/api/2/search/jql; JQL `project = "KEY" AND labels in (…)`, 50 labels a
 * search, every page of the reply); then each finding in order:
 * - no issue: one is created (POST /rest/api/2/issue) with project, issue type, summary, description, priority,
 *   labels, the components asked for and the due date it has;
 * - an issue: it is compared with the fields the search returned and, when something differs, updated
 *   (PUT /rest/api/2/issue/{key}) with only what differs: summary, description, priority and due date in
 *   `fields`; labels and components as `update` operations (the missing ones added, a severity label that is no
 *   longer the severity removed), so labels and components set in Jira by others stay. Nothing differs: no request.
 * A run that stops half-way (a refused issue, a dropped connection) has created what it created: the next run
 * finds those issues by their labels and creates only the rest, so no finding gets two issues. Two issues with one
 * label (a copy made in Jira) are reported, and the first (lowest key) is the one kept up to date.
 * A finding without a due date leaves the issue's as it is; so does a publish without components.
 * The client is common.ts's REST client: the token stays inside it, and its errors name the object and operation
 * (`finding 1a2b3c4d "SSH root login": create in project SEC: server said 400: …`) with Jira's own message.
 */
import { FoureyesError } from '../../shared/model/errors.js';
import { SEVERITY_LABELS, type JiraFields } from '../export/jira/fields.js';
import { RestError, safeText, TOKEN_ENV as COMMON_TOKEN_ENV, type RestClient } from './common.js';

export const TOKEN_ENV = COMMON_TOKEN_ENV.jira;

/** What publishing needs of common.ts's REST client (a test may give another that keeps its word). */
export type JsonClient = Pick<RestClient, 'baseUrl' | 'request'>;

/** A Jira project key: upper-case letters, digits and `_`, a letter first (it is quoted into JQL). */
export const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,254}$/;
/** An issue key as Jira writes one; a key from a reply is checked before it goes into a path or a message. */
export const ISSUE_KEY = /^[A-Z][A-Z0-9_]{0,254}-[1-9][0-9]{0,17}$/;
const SEARCH_LABELS = 50;
const PAGE = 100;
const SEARCH_FIELDS = ['summary', 'description', 'priority', 'labels', 'components', 'duedate'];

/** The fields of an issue as the search returns them (only those compared). */
export interface JiraIssue {
  key: string;
  fields: {
    summary?: string | null;
    description?: string | null;
    priority?: { name?: string } | null;
    labels?: string[] | null;
    components?: { name?: string }[] | null;
    duedate?: string | null;
  };
}

export type PublishAction = 'created' | 'updated' | 'unchanged' | 'would create' | 'would update';

export interface PublishedIssue {
  findingId: string;
  title: string;
  externalId: string;
  action: PublishAction;
  /** The issue's key (null for one a dry run would create). */
  key: string | null;
  /** The fields sent (or that a dry run would send) in an update. */
  changed: string[];
}

export interface JiraPublishOptions {
  project: string;
  /** The issue type of issues created (default Task). */
  issueType?: string;
  /** Look up only: say what would be created or updated. */
  dryRun?: boolean;
  /** Told each finding's outcome as it is done (so a run that stops later has reported these). */
  onIssue?: (r: PublishedIssue) => void;
}

export interface JiraPublishResult {
  issues: PublishedIssue[];
  /** External ids carried by more than one issue, with their keys (the first is the one updated). */
  duplicates: { externalId: string; keys: string[] }[];
}

const what = (f: JiraFields): string => `finding ${f.findingId.slice(0, 8)} ${JSON.stringify(f.summary)}`;

const keyOrder = (a: string, b: string): number => {
  const n = (k: string) => Number(k.slice(k.lastIndexOf('-') + 1));
  return n(a) - n(b) || a.localeCompare(b);
};

type SearchReply = { issues?: JiraIssue[]; total?: number; nextPageToken?: string; isLast?: boolean };

/**
 * One page of a search. Jira Data Center and older Cloud sites answer POST /rest/api/2/search (`startAt`, `total`);
 * Cloud sites where it is gone (410) answer POST /rest/api/2/search/jql (`nextPageToken`), used from then on.
 */
class Searcher {
  private enhanced = false;
  constructor(
    private readonly client: JsonClient,
    private readonly project: string,
  ) {}

  async *issues(jql: string): AsyncGenerator<JiraIssue> {
    let startAt = 0;
    let token: string | undefined;
    for (;;) {
      const r = await this.page(jql, startAt, token);
      const issues = r?.issues ?? [];
      yield* issues;
      startAt += issues.length;
      token = r?.nextPageToken;
      const more = this.enhanced ? token !== undefined && r?.isLast !== true : startAt < (r?.total ?? 0);
      if (issues.length === 0 || !more) return;
    }
  }

  private async page(jql: string, startAt: number, token: string | undefined): Promise<SearchReply | null> {
    const ask = (path: string, json: object) =>
      this.client.request<SearchReply | null>({
        method: 'POST',
        path,
        json,
        what: `the issues of project ${this.project}`,
        op: 'search by label',
      });
    const common = { jql, maxResults: PAGE, fields: SEARCH_FIELDS };
    if (!this.enhanced)
      try {
        return await ask('/rest/api/2/search', { ...common, startAt });
      } catch (e) {
        if (!(e instanceof RestError) || e.status !== 410 || startAt > 0) throw e;
        this.enhanced = true;
      }
    return ask('/rest/api/2/search/jql', token !== undefined ? { ...common, nextPageToken: token } : common);
  }
}

/** The issues of `project` carrying any of `labels`, by label (each list in key order). */
async function searchByLabels(
  client: JsonClient,
  project: string,
  labels: readonly string[],
): Promise<Map<string, JiraIssue[]>> {
  const found = new Map<string, JiraIssue[]>();
  const wanted = new Set(labels);
  const searcher = new Searcher(client, project);
  for (let i = 0; i < labels.length; i += SEARCH_LABELS) {
    const chunk = labels.slice(i, i + SEARCH_LABELS);
    const jql = `project = "${project}" AND labels in (${chunk.map((l) => `"${l}"`).join(', ')}) ORDER BY key ASC`;
    for await (const issue of searcher.issues(jql)) {
      if (typeof issue?.key !== 'string' || !ISSUE_KEY.test(issue.key))
        throw new FoureyesError(
          'bad_input',
          `the issues of project ${project}: search by label: the reply holds an issue key that is not one (${safeText(String(issue?.key), 80)})`,
        );
      for (const l of issue.fields?.labels ?? [])
        if (wanted.has(l) && !found.get(l)?.some((x) => x.key === issue.key))
          found.set(l, [...(found.get(l) ?? []), issue]);
    }
  }
  for (const list of found.values()) list.sort((a, b) => keyOrder(a.key, b.key));
  return found;
}

/** What an update of `issue` to `f` sends: only what differs, or null when nothing does. */
export function issueUpdate(
  f: JiraFields,
  issue: JiraIssue,
): {
  body: { fields?: Record<string, unknown>; update?: Record<string, unknown[]> };
  changed: string[];
} | null {
  const fields: Record<string, unknown> = {};
  const update: Record<string, unknown[]> = {};
  const theirs = issue.fields ?? {};
  if ((theirs.summary ?? '').trim() !== f.summary) fields.summary = f.summary;
  if ((theirs.description ?? '').replace(/\r\n/g, '\n').trimEnd() !== f.description.trimEnd())
    fields.description = f.description;
  if (theirs.priority?.name !== f.priority) fields.priority = { name: f.priority };
  if (f.duedate !== null && theirs.duedate !== f.duedate) fields.duedate = f.duedate;
  const has = new Set(theirs.labels ?? []);
  const ours = new Set(f.labels);
  const labelOps = [
    ...f.labels.filter((l) => !has.has(l)).map((l) => ({ add: l })),
    ...[...has].filter((l) => SEVERITY_LABELS.includes(l) && !ours.has(l)).map((l) => ({ remove: l })),
  ];
  if (labelOps.length > 0) update.labels = labelOps;
  const components = new Set((theirs.components ?? []).map((c) => c.name));
  const componentOps = f.components.filter((c) => !components.has(c)).map((c) => ({ add: { name: c } }));
  if (componentOps.length > 0) update.components = componentOps;
  const changed = [...Object.keys(fields), ...Object.keys(update)];
  if (changed.length === 0) return null;
  return {
    body: {
      ...(Object.keys(fields).length > 0 ? { fields } : {}),
      ...(Object.keys(update).length > 0 ? { update } : {}),
    },
    changed,
  };
}

/** The fields of a new issue of `f` in `project`. */
export function issueCreate(
  f: JiraFields,
  project: string,
  issueType: string,
): { fields: Record<string, unknown> } {
  return {
    fields: {
      project: { key: project },
      issuetype: { name: issueType },
      summary: f.summary,
      description: f.description,
      priority: { name: f.priority },
      labels: f.labels,
      ...(f.components.length > 0 ? { components: f.components.map((name) => ({ name })) } : {}),
      ...(f.duedate !== null ? { duedate: f.duedate } : {}),
    },
  };
}

/** Create or update the issues of `findings` in the project (see the module comment). */
export async function publishJira(
  client: JsonClient,
  findings: readonly JiraFields[],
  o: JiraPublishOptions,
): Promise<JiraPublishResult> {
  if (!PROJECT_KEY.test(o.project))
    throw new FoureyesError(
      'bad_input',
      `--project: ${JSON.stringify(o.project.slice(0, 100))} is not a Jira project key (upper-case letters, digits, _)`,
    );
  const issueType = o.issueType ?? 'Task';
  const existing = await searchByLabels(
    client,
    o.project,
    findings.map((f) => f.externalId),
  );
  const duplicates = [...existing.entries()]
    .filter(([, list]) => list.length > 1)
    .map(([externalId, list]) => ({ externalId, keys: list.map((i) => i.key) }));
  const issues: PublishedIssue[] = [];
  const done = (r: PublishedIssue) => {
    issues.push(r);
    o.onIssue?.(r);
  };
  for (const f of findings) {
    const base = { findingId: f.findingId, title: f.title, externalId: f.externalId };
    const issue = existing.get(f.externalId)?.[0];
    if (issue) {
      const u = issueUpdate(f, issue);
      if (u === null) done({ ...base, action: 'unchanged', key: issue.key, changed: [] });
      else if (o.dryRun) done({ ...base, action: 'would update', key: issue.key, changed: u.changed });
      else {
        await client.request({
          method: 'PUT',
          path: `/rest/api/2/issue/${encodeURIComponent(issue.key)}`,
          json: u.body,
          what: `${what(f)} (issue ${issue.key})`,
          op: 'update',
        });
        done({ ...base, action: 'updated', key: issue.key, changed: u.changed });
      }
      continue;
    }
    if (o.dryRun) {
      done({ ...base, action: 'would create', key: null, changed: [] });
      continue;
    }
    const created = await client.request<{ key?: unknown }>({
      method: 'POST',
      path: '/rest/api/2/issue',
      json: issueCreate(f, o.project, issueType),
      what: what(f),
      op: `create in project ${o.project}`,
    });
    const key = typeof created?.key === 'string' && ISSUE_KEY.test(created.key) ? created.key : null;
    if (key === null)
      throw new FoureyesError(
        'bad_input',
        `${what(f)}: create in project ${o.project}: the reply names no issue key (${safeText(String(created?.key), 80)})`,
      );
    done({ ...base, action: 'created', key, changed: [] });
  }
  return { issues, duplicates };
}
