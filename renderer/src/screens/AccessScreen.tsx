/**
 * Access (AAA) for one scan of the engagement: who can log in (a directory or local accounts, with what), what they
 * may do (sudo rules expanded to the accounts they reach) and what is recorded (the audit and logging verdicts).
 * A row per host and the personal accounts across the hosts; a host opens its detail: the directory, every account
 * with its state, keys and sudo rights, every sudo rule, second factors and the grouped verdicts. Everything that
 * came from a target is shown with TargetText; what could not be read says why.
 */
import { useEffect, useState, type JSX } from 'react';
import type { AaaEngagement, AaaHost } from '../../../shared/api/schemas/aaa.js';
import { VerdictBadge } from '../components/Badges.js';
import { SafeText, TargetText } from '../components/TargetText.js';
import { formatTime } from '../components/format.js';
import { useStore } from '../store/index.js';
import { ScanChooser } from './results/ScanChooser.js';
import '../styles/access.css';

/** A table's header row. */
function Head({ cols }: { cols: readonly string[] }): JSX.Element {
  return (
    <thead>
      <tr>
        {cols.map((c) => (
          <th key={c}>{c}</th>
        ))}
      </tr>
    </thead>
  );
}

type Counts = AaaEngagement['hosts'][number]['logIn'];

function CountCell({ c, testId }: { c: Counts; testId: string }): JSX.Element {
  return (
    <td className="small" data-testid={testId} data-pass={c.pass} data-fail={c.fail}>
      <span className="verdict-pass-text">{c.pass} pass</span> ·{' '}
      <span className={c.fail > 0 ? 'verdict-fail-text' : ''}>{c.fail} fail</span>
      {c.other > 0 ? ` · ${c.other} other` : ''}
    </td>
  );
}

function Words({ items, empty = '—' }: { items: readonly string[]; empty?: string }): JSX.Element {
  return items.length === 0 ? <span className="muted">{empty}</span> : <TargetText text={items.join(', ')} />;
}

function HostsTable({
  view,
  onOpen,
  open,
}: {
  view: AaaEngagement;
  onOpen(id: string): void;
  open: string | null;
}): JSX.Element {
  return (
    <table className="table access-hosts" data-testid="access-hosts">
      <Head
        cols={[
          'Host',
          'Directory',
          'Accounts that can log in',
          'Local beside the directory',
          'Sudo rules',
          'Second factor',
          'Log-in checks',
          'Authorised',
          'Recorded',
        ]}
      />
      <tbody>
        {view.hosts.map((h) => (
          <tr
            key={h.hostRunId}
            className={open === h.hostRunId ? 'selected clickable' : 'clickable'}
            onClick={() => onOpen(h.hostRunId)}
            data-testid="access-host-row"
            data-host={h.hostName}
            data-local-beside={h.localBesideCentral}
            data-can-log-in={h.accountsCanLogIn}
          >
            <td>
              <button type="button" className="link" data-testid="access-host-open">
                <SafeText text={h.hostName} />
              </button>
            </td>
            <td>
              {h.centralProviders.length > 0 ? (
                h.centralProviders.join(', ')
              ) : (
                <span className="muted">local files only</span>
              )}
            </td>
            <td>{h.accountsCanLogIn}</td>
            <td className={h.localBesideCentral > 0 ? 'verdict-fail-text' : ''}>
              {h.centralProviders.length > 0 ? h.localBesideCentral : '—'}
            </td>
            <td>
              {h.sudoGrants}
              {h.nopasswdAll > 0 ? (
                <span className="verdict-fail-text"> ({h.nopasswdAll} all, no password)</span>
              ) : (
                ''
              )}
            </td>
            <td>{h.secondFactor ? 'yes' : 'no'}</td>
            <CountCell c={h.logIn} testId="access-login-counts" />
            <CountCell c={h.authorised} testId="access-authorised-counts" />
            <CountCell c={h.recorded} testId="access-recorded-counts" />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AccountsAcross({ view }: { view: AaaEngagement }): JSX.Element {
  return (
    <table className="table access-accounts-across" data-testid="access-accounts-across">
      <Head cols={['Account', 'On hosts', 'Can log in on', 'Sudo rights on', 'SSH keys on', 'To look at']} />
      <tbody>
        {view.accounts.map((a) => (
          <tr key={a.name} data-testid="access-across-row" data-account={a.name}>
            <td>
              <TargetText text={a.name} />
            </td>
            <td>{a.hosts.length}</td>
            <td>
              <Words items={a.canLogInOn} />
            </td>
            <td>
              <Words items={a.sudoOn} />
            </td>
            <td>
              <Words items={a.keysOn} />
            </td>
            <td className="small">
              <Words items={a.flags} empty="" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Directory({ h }: { h: AaaHost }): JSX.Element {
  const c = h.central;
  return (
    <dl className="panel access-directory" data-testid="access-directory" data-in-use={c.inUse}>
      <dt>Central directory</dt>
      <dd>
        {c.inUse ? `in use: ${c.providers.join(', ')}` : 'not in use: accounts come from the local files'}
      </dd>
      <dt>nsswitch</dt>
      <dd>
        {c.nsswitch ? (
          <TargetText
            text={`passwd: ${c.nsswitch.passwd.join(' ')} · group: ${c.nsswitch.group.join(' ')}${c.nsswitch.sudoers.length ? ` · sudoers: ${c.nsswitch.sudoers.join(' ')}` : ''}`}
          />
        ) : (
          <span className="muted">not read</span>
        )}
      </dd>
      {c.ipa && (
        <>
          <dt>FreeIPA enrolment</dt>
          <dd>
            <TargetText
              text={`realm ${c.ipa.realm ?? '?'}, domain ${c.ipa.domain ?? '?'}, server ${c.ipa.server ?? '?'}`}
            />
          </dd>
        </>
      )}
      {c.sssdDomains.length > 0 && (
        <>
          <dt>SSSD domains</dt>
          <dd>
            <TargetText
              text={c.sssdDomains
                .map(
                  (d) =>
                    `${d.name} (id ${d.idProvider ?? '?'}, auth ${d.authProvider ?? d.idProvider ?? '?'}, access ${d.accessProvider ?? 'permit'})`,
                )
                .join('; ')}
            />
          </dd>
        </>
      )}
      {c.kerberosRealm && (
        <>
          <dt>Kerberos realm</dt>
          <dd>
            <TargetText text={c.kerberosRealm} />
          </dd>
        </>
      )}
      {c.ldapUris.length > 0 && (
        <>
          <dt>LDAP servers</dt>
          <dd>
            <Words items={c.ldapUris} />
          </dd>
        </>
      )}
      <dt>Second factor</dt>
      <dd data-testid="access-second-factor">
        {h.secondFactor.length > 0 ? (
          <TargetText text={h.secondFactor.map((s) => `${s.module} (${s.file})`).join(', ')} />
        ) : (
          <span>none in the PAM stacks</span>
        )}
        {h.sshAuthMethods && h.sshAuthMethods !== 'any' && (
          <>
            {' '}
            · sshd AuthenticationMethods <TargetText text={h.sshAuthMethods} />
          </>
        )}
      </dd>
    </dl>
  );
}

const passwordText: Record<string, string> = {
  hash: 'set',
  empty: 'EMPTY',
  locked: 'locked',
  unknown: 'unknown',
};

function Accounts({ h }: { h: AaaHost }): JSX.Element {
  const [all, setAll] = useState(false);
  const shown = all ? h.accounts : h.accounts.filter((a) => a.personal || a.canLogIn);
  return (
    <section className="access-section">
      <h3>
        Accounts ({shown.length} of {h.accounts.length}){' '}
        <label className="inline small">
          <input
            type="checkbox"
            checked={all}
            onChange={(e) => setAll(e.target.checked)}
            data-testid="access-all-accounts"
          />{' '}
          system accounts too
        </label>
      </h3>
      <table className="table access-accounts" data-testid="access-accounts">
        <Head
          cols={[
            'Account',
            'uid',
            'Shell',
            'Password',
            'Age / max (days)',
            'Last login',
            'SSH keys',
            'Groups',
            'Sudo',
            'Can log in',
            'To look at',
          ]}
        />
        <tbody>
          {shown.map((a) => (
            <tr
              key={`${a.name}/${a.uid ?? ''}`}
              data-testid="access-account"
              data-account={a.name}
              data-can-log-in={a.canLogIn}
              data-flags={a.flags.join('|')}
            >
              <td>
                <TargetText text={a.name} />
              </td>
              <td>{a.uid ?? '?'}</td>
              <td className="small">
                <TargetText text={a.shell} />
              </td>
              <td className={a.password === 'empty' ? 'verdict-fail-text' : ''}>
                {a.password === null ? <span className="muted">not read</span> : passwordText[a.password]}
                {a.expired ? ' (expired)' : ''}
              </td>
              <td className="small">
                {a.passwordAgeDays ?? '—'} / {a.maxDays === null || a.maxDays >= 99999 ? 'never' : a.maxDays}
              </td>
              <td className="small">{a.lastLogin ?? <span className="muted">not read</span>}</td>
              <td className="small" data-testid="access-account-keys">
                {a.keys === null ? (
                  <span className="muted">not read</span>
                ) : a.keys.count === 0 ? (
                  '0'
                ) : (
                  <TargetText text={`${a.keys.count}: ${a.keys.types.join(', ')}`} />
                )}
              </td>
              <td className="small">
                <Words items={a.groups} />
              </td>
              <td className="small" data-testid="access-account-sudo">
                {a.sudo.length === 0 ? (
                  <span className="muted">—</span>
                ) : (
                  <TargetText text={a.sudo.join('\n')} block />
                )}
              </td>
              <td>{a.canLogIn ? 'yes' : 'no'}</td>
              <td className="small">
                <Words items={a.flags} empty="" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Sudo({ h }: { h: AaaHost }): JSX.Element {
  return (
    <section className="access-section">
      <h3>Sudo rules, expanded ({h.sudo.grants.length})</h3>
      {h.sudo.notes.length > 0 && (
        <p className="muted small" data-testid="access-sudo-notes">
          <TargetText text={h.sudo.notes.join('; ')} />
        </p>
      )}
      <table className="table access-sudo" data-testid="access-sudo">
        <Head cols={['Who', 'Reaches', 'As', 'Commands', 'Password', 'Where']} />
        <tbody>
          {h.sudo.grants.map((g, i) => (
            <tr
              key={i}
              data-testid="access-sudo-grant"
              data-principal={g.principal}
              data-all={g.all}
              data-nopasswd={g.nopasswd}
            >
              <td>
                <TargetText text={g.principal} /> <span className="muted small">{g.kind}</span>
              </td>
              <td className="small">
                {g.unresolved ? (
                  <span className="muted">a directory group: members not known on this host</span>
                ) : (
                  <Words items={g.accounts} />
                )}
              </td>
              <td className="small">
                <TargetText text={g.runAs} />
              </td>
              <td className="small">
                <TargetText text={g.commands.join(', ')} />
              </td>
              <td className={g.nopasswd && g.all ? 'verdict-fail-text' : ''}>
                {g.nopasswd ? 'not asked' : 'asked'}
              </td>
              <td className="small">
                <TargetText text={g.source} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function CheckItem({ c }: { c: AaaHost['checks']['logIn'][number] }): JSX.Element {
  return (
    <li data-check={c.checkId} data-verdict={c.verdict}>
      <VerdictBadge verdict={c.verdict} /> {c.title} <code className="small">{c.checkId}</code>
      {c.verdict === 'fail' && (
        <div className="small muted">
          <TargetText text={c.actual} />
        </div>
      )}
    </li>
  );
}

/** One group of verdicts: what needs attention listed, what passes or does not apply folded away. */
function Checks({
  title,
  list,
  testId,
}: {
  title: string;
  list: AaaHost['checks']['logIn'];
  testId: string;
}): JSX.Element {
  const open = list.filter((c) => c.verdict === 'fail' || c.verdict === 'error' || c.verdict === 'manual');
  const rest = list.filter((c) => !open.includes(c));
  const rank = (v: string): number => (v === 'fail' ? 0 : v === 'error' ? 1 : 2);
  return (
    <section className="access-section" data-testid={testId}>
      <h3>
        {title}{' '}
        <span className="muted small">
          {open.filter((c) => c.verdict === 'fail').length} fail of {list.length}
        </span>
      </h3>
      <ul className="access-checks">
        {[...open]
          .sort((a, b) => rank(a.verdict) - rank(b.verdict))
          .map((c) => (
            <CheckItem key={c.checkId} c={c} />
          ))}
      </ul>
      {rest.length > 0 && (
        <details>
          <summary className="small">{rest.length} passing or not applicable</summary>
          <ul className="access-checks">
            {rest.map((c) => (
              <CheckItem key={c.checkId} c={c} />
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function HostDetail({ h }: { h: AaaHost }): JSX.Element {
  return (
    <section className="panel access-host" data-testid="access-host" data-host={h.hostName}>
      <h2>
        <SafeText text={h.hostName} />{' '}
        <span className="muted small">
          collected {formatTime(h.collectedAt)}
          {h.privileged ? '' : ', without root'}
        </span>
      </h2>
      {h.unread.length > 0 && (
        <p className="notice-inline" data-testid="access-unread">
          Not read in this scan:{' '}
          <TargetText text={h.unread.map((u) => `${u.factId || 'snapshot'} (${u.why})`).join('; ')} />
        </p>
      )}
      <Directory h={h} />
      <Accounts h={h} />
      <Sudo h={h} />
      <div className="access-check-groups">
        <Checks title="Who can log in" list={h.checks.logIn} testId="access-checks-login" />
        <Checks title="What they may do" list={h.checks.authorised} testId="access-checks-authorised" />
        <Checks title="What is recorded" list={h.checks.recorded} testId="access-checks-recorded" />
      </div>
    </section>
  );
}

export function AccessScreen(): JSX.Element {
  const engagementId = useStore((s) => s.route.engagementId);
  const routeScanId = useStore((s) => s.route.scanId);
  const scans = useStore((s) => (s.scansOf === engagementId ? s.scans : null));
  const loadScans = useStore((s) => s.loadScans);
  const view = useStore((s) => s.access);
  const host = useStore((s) => s.accessHost);
  const loading = useStore((s) => s.accessLoading);
  const error = useStore((s) => s.accessError);
  const load = useStore((s) => s.loadAccess);
  const openHost = useStore((s) => s.openAccessHost);
  const navigate = useStore((s) => s.navigate);
  useEffect(() => {
    if (engagementId) void loadScans(engagementId);
  }, [engagementId, loadScans]);
  useEffect(() => {
    if (engagementId) void load(engagementId, routeScanId ?? undefined);
  }, [engagementId, routeScanId, load]);
  return (
    <section className="screen access-screen" data-testid="screen-access" aria-busy={loading}>
      <header className="screen-head">
        <h1>Access (AAA)</h1>
        <ScanChooser
          scans={scans ?? []}
          value={view?.scanId ?? routeScanId}
          onChange={(scanId) => navigate({ scanId })}
          testId="access-scan"
        />
      </header>
      {error && (
        <p className="panel error" role="alert" data-testid="access-error">
          <SafeText text={error} />
        </p>
      )}
      {view && view.scanId === null && (
        <p className="panel" data-testid="access-empty">
          No scan of this engagement has a completed host yet: run a scan, then its hosts' access shows here.
        </p>
      )}
      {view && view.scanId !== null && (
        <>
          <p className="muted small">
            Scan of {formatTime(view.scanStartedAt)}: {view.hosts.length}{' '}
            {view.hosts.length === 1 ? 'host' : 'hosts'} with a completed run. Choose a host for its accounts
            and sudo rules.
          </p>
          <HostsTable view={view} open={host?.hostRunId ?? null} onOpen={(id) => void openHost(id)} />
          {host && <HostDetail h={host} />}
          <h2>Personal accounts across the hosts</h2>
          <AccountsAcross view={view} />
        </>
      )}
    </section>
  );
}
