/**
 * `foureyes access [--engagement E] [--scan ID] [--host NAME] [--all] [--json]`: the AAA view of a scan, through
 * the same service as the workstation's Access screen (main/services/aaa.ts). Without --host: a line per host and
 * the personal accounts across the hosts; with --host: that host's directory, accounts, sudo rules, second factors
 * and failing aaa checks. Read-only: the workspace must exist.
 */
import type { AaaEngagement, AaaHost } from '../../../shared/api/schemas/aaa.js';
import { FoureyesError } from '../../../shared/model/errors.js';
import { loadCatalogue } from '../../catalogue/load.js';
import { aaaService } from '../../services/aaa.js';
import type { Workspace } from '../../store/db.js';
import { contractInput, resolveEngagementId } from '../findings-service.js';
import { term, termJson } from '../term.js';
import { openExisting } from '../workspace.js';

type Opts = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function engagementFor(ws: Workspace, o: Opts): string {
  const given = str(o.engagement);
  if (given !== undefined) return resolveEngagementId(ws, given);
  const scan = str(o.scan);
  if (scan !== undefined) return ws.scans.require(scan).engagementId;
  const latest = ws.scans.latestScanId();
  if (latest) return ws.scans.require(latest).engagementId;
  throw new FoureyesError(
    'bad_input',
    'no scan in this workspace yet: run `foureyes assess` first, or say which engagement with --engagement',
  );
}

const list = (xs: readonly string[]): string => (xs.length === 0 ? '-' : xs.map(term).join(', '));
const counts = (c: { pass: number; fail: number; other: number }): string =>
  `${c.pass} pass ${c.fail} fail${c.other ? ` ${c.other} other` : ''}`;

export function engagementText(v: AaaEngagement): string {
  if (v.scanId === null) return 'no scan of this engagement has a completed host yet\n';
  const out = [`scan ${v.scanId} (${v.scanStartedAt ?? ''}): ${v.hosts.length} host(s)`, ''];
  for (const h of v.hosts) {
    out.push(
      `${term(h.hostName)}: directory ${h.centralProviders.length ? list(h.centralProviders) : 'none (local files)'}; ` +
        `${h.accountsCanLogIn} account(s) can log in${h.centralProviders.length ? `, ${h.localBesideCentral} local beside the directory` : ''}; ` +
        `${h.sudoGrants} sudo rule(s)${h.nopasswdAll ? `, ${h.nopasswdAll} of all commands without a password` : ''}; ` +
        `second factor ${h.secondFactor ? 'yes' : 'no'}`,
      `  log-in ${counts(h.logIn)} | authorised ${counts(h.authorised)} | recorded ${counts(h.recorded)}${h.unread ? ` | ${h.unread} part(s) not read` : ''}`,
    );
  }
  out.push('', 'personal accounts across the hosts:');
  for (const a of v.accounts)
    out.push(
      `  ${term(a.name)}: on ${a.hosts.length}; can log in on ${list(a.canLogInOn)}; sudo on ${list(a.sudoOn)}; keys on ${list(a.keysOn)}` +
        (a.flags.length ? `\n    ! ${a.flags.map(term).join('; ')}` : ''),
    );
  return `${out.join('\n')}\n`;
}

export function hostText(h: AaaHost, all: boolean): string {
  const c = h.central;
  const out = [
    `${term(h.hostName)} (collected ${h.collectedAt ?? '?'}${h.privileged ? '' : ', without root'})`,
  ];
  out.push(`directory: ${c.inUse ? `in use (${list(c.providers)})` : 'not in use'}`);
  if (c.nsswitch) out.push(`  nsswitch passwd: ${list(c.nsswitch.passwd)}; group: ${list(c.nsswitch.group)}`);
  if (c.ipa) out.push(`  FreeIPA realm ${term(c.ipa.realm ?? '?')}, server ${term(c.ipa.server ?? '?')}`);
  for (const d of c.sssdDomains)
    out.push(
      `  SSSD domain ${term(d.name)}: id ${term(d.idProvider ?? '?')}, access ${term(d.accessProvider ?? 'permit')}`,
    );
  if (c.kerberosRealm) out.push(`  Kerberos realm ${term(c.kerberosRealm)}`);
  out.push(
    `second factor: ${h.secondFactor.length ? h.secondFactor.map((s) => `${term(s.module)} (${term(s.file)})`).join(', ') : 'none in the PAM stacks'}`,
  );
  out.push('', 'accounts:');
  for (const a of h.accounts) {
    if (!all && !a.personal && !a.canLogIn) continue;
    out.push(
      `  ${term(a.name)} uid ${a.uid ?? '?'} ${term(a.shell)}: password ${a.password ?? 'not read'}${a.expired ? ' (expired)' : ''}, ` +
        `last login ${a.lastLogin ?? 'not read'}, keys ${a.keys === null ? 'not read' : a.keys.count ? `${a.keys.count} (${list(a.keys.types)})` : '0'}, ` +
        `can log in ${a.canLogIn ? 'yes' : 'no'}`,
    );
    for (const s of a.sudo) out.push(`    sudo ${term(s)}`);
    if (a.flags.length) out.push(`    ! ${a.flags.map(term).join('; ')}`);
  }
  out.push('', `sudo rules (${h.sudo.grants.length}):`);
  for (const g of h.sudo.grants)
    out.push(
      `  ${term(g.principal)} -> ${g.unresolved ? 'a directory group (members not known here)' : list(g.accounts)} as ${term(g.runAs)}: ` +
        `${list(g.commands)}${g.nopasswd ? ' NOPASSWD' : ''} [${term(g.source)}]`,
    );
  for (const n of h.sudo.notes) out.push(`  note: ${term(n)}`);
  const failing = [...h.checks.logIn, ...h.checks.authorised, ...h.checks.recorded].filter(
    (x) => x.verdict === 'fail',
  );
  out.push('', `failing aaa checks (${failing.length}):`);
  for (const f of failing) out.push(`  ${term(f.checkId)}: ${term(f.actual)}`);
  for (const u of h.unread) out.push(`not read: ${term(u.factId || 'snapshot')} (${term(u.why)})`);
  return `${out.join('\n')}\n`;
}

export function access(o: Opts): number {
  const ws = openExisting(str(o.workspace));
  try {
    const svc = aaaService(ws, loadCatalogue());
    const engagementId = engagementFor(ws, o);
    const scanId = str(o.scan);
    const view = svc.engagement(
      contractInput('aaa.engagement', scanId ? { engagementId, scanId } : { engagementId }, 'access'),
    );
    const hostName = str(o.host);
    if (hostName === undefined) {
      process.stdout.write(o.json ? `${termJson(view)}\n` : engagementText(view));
      return 0;
    }
    const run = view.hosts.find((h) => h.hostName === hostName);
    if (!run)
      throw new FoureyesError(
        'not_found',
        `no completed host run named '${term(hostName)}' in scan ${view.scanId ?? '(none)'} (hosts: ${view.hosts.map((h) => term(h.hostName)).join(', ') || 'none'})`,
      );
    const h = svc.host(contractInput('aaa.host', { hostRunId: run.hostRunId }, 'access'));
    process.stdout.write(o.json ? `${termJson(h)}\n` : hostText(h, o.all === true));
    return 0;
  } finally {
    ws.close();
  }
}
