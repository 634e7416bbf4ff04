/**
 * Hand-over of the open engagement: the documentation bundle for Confluence and the machine-readable results, each
 * built by main (export.build) from the reviewed data and offered as a download. A final export holds only what
 * was approved under the four-eye rule; main refuses it, naming the findings, while one is not approved. The last
 * export built is described (file, size, SHA-256, what it holds, what a final export left out) so the consultant
 * can note its hash in the hand-over mail.
 */
import { useEffect, useState, type JSX, type ReactNode } from 'react';
import {
  API_EXPORT_FORMATS,
  type ApiExportFormat,
  type ReportAudience,
} from '../../../shared/api/schemas/exports.js';
import { REVIEW_FILE_MAX_BASE64 } from '../../../shared/api/schemas/review.js';
import { SafeText } from '../components/TargetText.js';
import { dataHref, saveAs } from '../components/download.js';
import { formatTime } from '../components/format.js';
import { useStore } from '../store/index.js';
import type { BuiltExport } from '../store/handover.js';
import { needsPerson } from '../store/session.js';

const FORMATS: Record<ApiExportFormat, { label: string; what: string }> = {
  confluence: {
    label: 'Confluence bundle (zip)',
    what: 'Pages in Confluence storage format (summary, one per finding and per host, method, audit trail), charts and evidence as attachments, a manifest of the page tree and an integrity manifest signed by you. Check it with foureyes bundle verify.',
  },
  html: {
    label: 'Report (HTML)',
    what: 'One self-contained file for the audience chosen: executive summary, findings by severity, hosts, method, approvals and the audit checkpoint. Opens with nothing installed and loads nothing.',
  },
  pdf: { label: 'Report (PDF)', what: 'The same report printed to PDF (A4).' },
  'jira-csv': {
    label: 'Jira CSV',
    what: 'One issue per finding for Jira’s CSV importer, each with an external id label so a re-import updates instead of duplicating.',
  },
  sarif: { label: 'SARIF 2.1.0', what: 'The scan for code-scanning and CI tools.' },
  junit: {
    label: 'JUnit XML',
    what: 'The scan as test results: one test per check and host, for CI pipelines.',
  },
  ohdf: { label: 'OHDF (Heimdall)', what: 'The scan in MITRE’s Heimdall Data Format, to open in Heimdall.' },
  json: {
    label: 'Engagement JSON',
    what: 'The whole engagement (scans, results, findings, waivers, people), per the published schema.',
  },
};

const NO_SCANS: readonly never[] = [];

const size = (n: number): string =>
  n < 1024
    ? `${n} B`
    : n < 1024 * 1024
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${(n / 1024 / 1024).toFixed(1)} MiB`;

function Built({ b }: { b: BuiltExport }): JSX.Element {
  return (
    <section className="panel" data-testid="export-last">
      <h2>
        Built: <SafeText text={b.fileName} />
      </h2>
      <dl className="facts">
        <dt>Holds</dt>
        <dd data-testid="export-summary">
          <SafeText text={b.summary} />
        </dd>
        <dt>Size</dt>
        <dd>{size(b.size)}</dd>
        <dt>SHA-256</dt>
        <dd className="mono" data-testid="export-sha256">
          {b.sha256}
        </dd>
        <dt>Final</dt>
        <dd>
          {b.final ? 'yes: approved findings only' : 'no: a working copy with findings in every review state'}
        </dd>
      </dl>
      {b.leftOut.length > 0 && (
        <div className="form-error" data-testid="export-left-out">
          Left out because their approvals do not verify:
          <ul>
            {b.leftOut.map((f) => (
              <li key={f.findingId}>
                <SafeText text={f.title} />: <SafeText text={f.reason} />
              </li>
            ))}
          </ul>
        </div>
      )}
      <button
        type="button"
        onClick={() => saveAs(dataHref(b.contentBase64), b.fileName)}
        data-testid="export-download-again"
      >
        Download again
      </button>
    </section>
  );
}

/** Whether this computer remembers a token for the target (the URL as typed, trailing slashes aside). */
function useRemembered(service: 'confluence' | 'jira', url: string, user: string): boolean {
  const tokens = useStore((s) => s.tokens);
  const u = url.trim().replace(/\/+$/, '');
  return (
    tokens?.tokens.some(
      (t) => t.service === service && t.url.replace(/\/+$/, '') === u && t.user === user.trim(),
    ) ?? false
  );
}

/**
 * The API token of a publish: typed for this call, or, in the desktop app where the keychain encrypts, remembered
 * for the target once the server took it, then left empty to use it.
 */
function TokenField(p: {
  service: 'confluence' | 'jira';
  url: string;
  user: string;
  token: string;
  setToken: (t: string) => void;
  remember: boolean;
  setRemember: (r: boolean) => void;
}): JSX.Element {
  const tokens = useStore((s) => s.tokens);
  const forget = useStore((s) => s.forgetToken);
  const remembered = useRemembered(p.service, p.url, p.user);
  const id = p.service === 'confluence' ? 'publish' : 'jira';
  return (
    <>
      <label className="wide">
        {remembered
          ? 'API token (leave empty to use the one remembered on this computer)'
          : 'API token (sent with this publish only)'}
        <input
          type="password"
          value={p.token}
          onChange={(e) => p.setToken(e.target.value)}
          required={!remembered}
          autoComplete="off"
          data-testid={`${id}-token`}
        />
      </label>
      <label className="wide inline">
        <input
          type="checkbox"
          checked={p.remember}
          disabled={!tokens?.persistent}
          onChange={(e) => p.setRemember(e.target.checked)}
          data-testid={`${id}-remember`}
        />
        {tokens?.persistent
          ? 'Remember this token on this computer (the keychain), once the server takes it'
          : `Tokens are not remembered here: ${tokens?.detail ?? 'unknown'}`}
        {remembered && (
          <button
            type="button"
            className="link"
            onClick={() =>
              void forget({
                service: p.service,
                url: p.url.trim(),
                ...(p.user.trim() !== '' ? { user: p.user.trim() } : {}),
              })
            }
            data-testid={`${id}-forget`}
          >
            Forget the remembered token
          </button>
        )}
      </label>
    </>
  );
}

/** A labelled text input of a publish form. */
function Field(p: {
  label: string;
  value: string;
  set: (v: string) => void;
  testId: string;
  required?: boolean;
  placeholder?: string;
}): JSX.Element {
  return (
    <label>
      {p.label}
      <input
        value={p.value}
        onChange={(e) => p.set(e.target.value)}
        required={p.required}
        placeholder={p.placeholder}
        data-testid={p.testId}
      />
    </label>
  );
}

/** What a publish form hands its panel: the server, the account and the token (empty: the remembered one). */
interface Target {
  url: string;
  user: string;
  token: string;
  remember: boolean;
  dryRun: boolean;
}

/** The target's part of a publish input: the user and token only when given, the token remembered only when typed. */
const targetInput = (t: Target) => ({
  url: t.url,
  dryRun: t.dryRun,
  rememberToken: t.remember && t.token !== '',
  ...(t.token !== '' ? { token: t.token } : {}),
  ...(t.user.trim() !== '' ? { user: t.user.trim() } : {}),
});

/**
 * The frame both publish forms share: the server URL, the panel's own fields, the account e-mail, the token (sent
 * with the call, then gone from the form whatever came of it), dry run and publish, main's refusal, the outcome.
 */
function PublishForm(p: {
  id: 'publish' | 'jira';
  service: 'confluence' | 'jira';
  title: string;
  urlLabel: string;
  urlPlaceholder: string;
  busy: boolean;
  submitLabel: string;
  error: string | null;
  onRun: (t: Target) => Promise<unknown>;
  children: ReactNode;
  result: ReactNode;
}): JSX.Element {
  const [url, setUrl] = useState('');
  const [user, setUser] = useState('');
  const [token, setToken] = useState('');
  const [remember, setRemember] = useState(false);
  const run = async (dryRun: boolean): Promise<void> => {
    await p.onRun({ url, user, token, remember, dryRun });
    setToken('');
  };
  return (
    <form
      className="panel form-grid"
      onSubmit={(ev) => {
        ev.preventDefault();
        void run(false);
      }}
      data-testid={`${p.id}-form`}
    >
      <h2>{p.title}</h2>
      <Field
        label={p.urlLabel}
        value={url}
        set={setUrl}
        required
        placeholder={p.urlPlaceholder}
        testId={`${p.id}-url`}
      />
      {p.children}
      <Field
        label="Account e-mail (Atlassian Cloud only)"
        value={user}
        set={setUser}
        testId={`${p.id}-user`}
      />
      <TokenField
        service={p.service}
        url={url}
        user={user}
        token={token}
        setToken={setToken}
        remember={remember}
        setRemember={setRemember}
      />
      <div className="actions">
        <button
          type="button"
          disabled={p.busy}
          onClick={() => void run(true)}
          data-testid={`${p.id}-dry-run`}
        >
          Dry run
        </button>
        <button type="submit" className="primary" disabled={p.busy} data-testid={`${p.id}-submit`}>
          {p.busy ? 'Publishing…' : p.submitLabel}
        </button>
      </div>
      {p.error !== null && (
        <p className="form-error wide" role="alert" data-testid={`${p.id}-error`}>
          <SafeText text={p.error} />
        </p>
      )}
      {p.result}
    </form>
  );
}

/** Why a publish stopped, and that publishing again goes on from there. */
function Stopped({ id, message, again }: { id: string; message: string; again: string }): JSX.Element {
  return (
    <p className="form-error" role="alert" data-testid={`${id}-stopped`}>
      Stopped: <SafeText text={message} /> {again}
    </p>
  );
}

function PublishPanel(): JSX.Element {
  const publishing = useStore((s) => s.publishing);
  const published = useStore((s) => s.published);
  const error = useStore((s) => s.publishError);
  const publish = useStore((s) => s.publishBundle);
  const [space, setSpace] = useState('');
  const [parentId, setParentId] = useState('');
  return (
    <PublishForm
      id="publish"
      service="confluence"
      title="Publish the bundle to Confluence"
      urlLabel="Confluence URL"
      urlPlaceholder="https://wiki.example.org"
      busy={publishing}
      submitLabel="Publish"
      error={error}
      onRun={(t) =>
        publish({
          ...targetInput(t),
          space,
          ...(parentId.trim() !== '' ? { parentId: parentId.trim() } : {}),
        })
      }
      result={
        published && (
          <div className="wide" data-testid="publish-result">
            <p>
              {published.dryRun ? 'Dry run: would be ' : ''}pages {published.pages.created} created,{' '}
              {published.pages.updated} updated, {published.pages.unchanged} unchanged
              {published.pages.doneBefore > 0 ? `, ${published.pages.doneBefore} done before` : ''};
              attachments {published.attachments.created} created, {published.attachments.updated} updated,{' '}
              {published.attachments.unchanged} unchanged.
            </p>
            {published.stopped && (
              <Stopped
                id="publish"
                message={published.stopped.message}
                again="Publish again to go on from there."
              />
            )}
          </div>
        )
      }
    >
      <Field label="Space key" value={space} set={setSpace} required testId="publish-space" />
      <Field label="Parent page id (optional)" value={parentId} set={setParentId} testId="publish-parent" />
    </PublishForm>
  );
}

function JiraPanel({ engagementId, final }: { engagementId: string; final: boolean }): JSX.Element {
  const busy = useStore((s) => s.jiraPublishing);
  const result = useStore((s) => (s.jiraOf === engagementId ? s.jiraPublished : null));
  const error = useStore((s) => (s.jiraOf === engagementId ? s.jiraError : null));
  const publish = useStore((s) => s.publishJira);
  const [project, setProject] = useState('');
  const [issueType, setIssueType] = useState('Task');
  const count = (a: string): number => result?.issues.filter((i) => i.action === a).length ?? 0;
  return (
    <PublishForm
      id="jira"
      service="jira"
      title="Publish the findings to Jira"
      urlLabel="Jira URL"
      urlPlaceholder="https://jira.example.org"
      busy={busy}
      submitLabel={final ? 'Publish approved findings' : 'Publish'}
      error={error}
      onRun={(t) =>
        publish({
          ...targetInput(t),
          engagementId,
          project,
          final,
          issueType: issueType.trim() === '' ? 'Task' : issueType,
        })
      }
      result={
        result && (
          <div className="wide" data-testid="jira-result">
            <p>
              {result.dryRun
                ? `Dry run: ${count('would create')} would be created, ${count('would update')} updated, ${count('unchanged')} unchanged.`
                : `Issues ${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged.`}
            </p>
            {result.duplicates.length > 0 && (
              <p className="form-error">
                Several issues carry the same finding:{' '}
                {result.duplicates.map((d) => (
                  <SafeText key={d.externalId} text={`${d.keys.join(', ')} `} />
                ))}
              </p>
            )}
            {result.stopped && (
              <Stopped
                id="jira"
                message={result.stopped.message}
                again="Publish again to finish: no issue is made twice."
              />
            )}
          </div>
        )
      }
    >
      <Field label="Project key" value={project} set={setProject} required testId="jira-project" />
      <Field label="Issue type" value={issueType} set={setIssueType} testId="jira-issue-type" />
    </PublishForm>
  );
}

export function HandoverScreen(): JSX.Element {
  const engagementId = useStore((s) => s.route.engagementId);
  const me = useStore((s) => s.me);
  const scans = useStore((s) => (s.scansOf === engagementId ? s.scans : NO_SCANS));
  const loadScans = useStore((s) => s.loadScans);
  const busy = useStore((s) => s.exportBusy);
  const error = useStore((s) => s.exportError);
  const last = useStore((s) => (s.exportOf === engagementId ? s.lastExport : null));
  const build = useStore((s) => s.buildExport);
  const [scanId, setScanId] = useState('');
  const [final, setFinal] = useState(false);
  const [audience, setAudience] = useState<ReportAudience>('engineer');
  const loadTokens = useStore((s) => s.loadTokens);
  useEffect(() => {
    if (engagementId) void loadScans(engagementId);
    void loadTokens();
  }, [engagementId, loadScans, loadTokens]);
  if (!engagementId) return <section className="screen" />;
  const run = async (format: ApiExportFormat): Promise<void> => {
    const b = await build({ engagementId, format, final, audience, ...(scanId !== '' ? { scanId } : {}) });
    if (b) saveAs(dataHref(b.contentBase64), b.fileName);
  };
  return (
    <section className="screen" data-testid="screen-handover">
      <header className="screen-head">
        <h1>Hand-over</h1>
        <span className="muted">
          What the customer keeps: built from the reviewed data of this engagement, on this workstation.
        </span>
      </header>
      {!me ? (
        <p className="panel" data-testid="export-needs-person">
          {needsPerson('An export')}
        </p>
      ) : (
        <>
          <section className="panel form-grid">
            <label>
              Scan (per-scan formats and the bundle’s host pages)
              <select value={scanId} onChange={(e) => setScanId(e.target.value)} data-testid="export-scan">
                <option value="">the newest</option>
                {scans.map((s) => (
                  <option key={s.id} value={s.id}>
                    {formatTime(s.startedAt)} · {s.state} · {s.hostCount} host{s.hostCount === 1 ? '' : 's'}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Report audience
              <select
                value={audience}
                onChange={(e) => setAudience(e.target.value as ReportAudience)}
                data-testid="export-audience"
              >
                <option value="executive">executive: one page of posture, top risks and trend</option>
                <option value="manager">manager: findings by owner and due date</option>
                <option value="engineer">engineer: every check with evidence and fix</option>
              </select>
            </label>
            <label className="wide inline">
              <input
                type="checkbox"
                checked={final}
                onChange={(e) => setFinal(e.target.checked)}
                data-testid="export-final"
              />
              Final: only findings approved under the four-eye rule (refused while one is not)
            </label>
          </section>
          {error !== null && (
            <p className="form-error" role="alert" data-testid="export-error">
              <SafeText text={error} />
            </p>
          )}
          <table className="table" data-testid="export-formats">
            <thead>
              <tr>
                <th>Format</th>
                <th>What it is</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {API_EXPORT_FORMATS.map((f) => (
                <tr key={f} data-testid={`export-row-${f}`}>
                  <td>{FORMATS[f].label}</td>
                  <td>{FORMATS[f].what}</td>
                  <td>
                    <button
                      type="button"
                      className={f === 'confluence' ? 'primary' : ''}
                      disabled={busy !== null}
                      onClick={() => void run(f)}
                      data-testid={`export-build-${f}`}
                    >
                      {busy === f ? 'Building…' : 'Build and download'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {last && <Built b={last} />}
          {last?.format === 'confluence' &&
            (last.contentBase64.length > REVIEW_FILE_MAX_BASE64 ? (
              <p className="panel" data-testid="publish-too-large">
                This bundle ({size(last.size)}) is larger than the app sends to a server in one call: publish
                it with <code>foureyes publish confluence --bundle FILE</code> from the command line.
              </p>
            ) : (
              <PublishPanel />
            ))}
          <JiraPanel engagementId={engagementId} final={final} />
        </>
      )}
    </section>
  );
}
