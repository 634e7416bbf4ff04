/** The AAA view across one scan's hosts: a row per host, and the personal accounts with where each can do what. */
import type { AaaEngagement, AaaHost } from '../../shared/api/schemas/aaa.js';

const counts = (cs: readonly { verdict: string }[]) => ({
  pass: cs.filter((c) => c.verdict === 'pass').length,
  fail: cs.filter((c) => c.verdict === 'fail').length,
  other: cs.filter((c) => c.verdict !== 'pass' && c.verdict !== 'fail').length,
});

export function engagementView(
  scan: { id: string; startedAt: string } | null,
  hosts: readonly AaaHost[],
): AaaEngagement {
  const accounts = new Map<string, AaaEngagement['accounts'][number]>();
  for (const h of hosts)
    for (const a of h.accounts) {
      if (!a.personal && !a.canLogIn) continue;
      let row = accounts.get(a.name);
      if (!row) {
        row = { name: a.name, hosts: [], canLogInOn: [], sudoOn: [], keysOn: [], flags: [] };
        accounts.set(a.name, row);
      }
      row.hosts.push(h.hostName);
      if (a.canLogIn) row.canLogInOn.push(h.hostName);
      if (a.sudo.length > 0) row.sudoOn.push(h.hostName);
      if ((a.keys?.count ?? 0) > 0) row.keysOn.push(h.hostName);
      for (const f of a.flags) if (!row.flags.includes(f)) row.flags.push(f);
    }
  return {
    scanId: scan?.id ?? null,
    scanStartedAt: scan?.startedAt ?? null,
    hosts: hosts.map((h) => ({
      hostRunId: h.hostRunId,
      hostName: h.hostName,
      centralProviders: h.central.providers,
      accountsCanLogIn: h.accounts.filter((a) => a.canLogIn).length,
      localBesideCentral: h.central.inUse
        ? h.accounts.filter((a) => a.canLogIn && a.name !== 'root').length
        : 0,
      sudoGrants: h.sudo.grants.length,
      nopasswdAll: h.sudo.grants.filter((g) => g.all && g.nopasswd).length,
      secondFactor:
        h.secondFactor.length > 0 || (h.sshAuthMethods !== null && h.sshAuthMethods.includes(',')),
      logIn: counts(h.checks.logIn),
      authorised: counts(h.checks.authorised),
      recorded: counts(h.checks.recorded),
      unread: h.unread.length,
    })),
    accounts: [...accounts.values()].sort(
      (a, b) => b.canLogInOn.length - a.canLogInOn.length || a.name.localeCompare(b.name),
    ),
  };
}
