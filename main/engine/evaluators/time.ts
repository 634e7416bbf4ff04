/** Evaluators over the time synchronisation configuration (time.sync). */
import { z } from 'zod';
import type { Evidence } from '../../../shared/model/results.js';
import { textSources } from '../context.js';
import { outcome } from '../outcome.js';
import { globToRegExp } from '../parsers/glob.js';
import { excerpt, splitLines, targetText as tt } from '../parsers/text.js';
import { defineEvaluator } from './types.js';

/** Public NTP pools the distributions and vendors configure by default: never the organisation's own servers. */
const PUBLIC_POOLS = ['*pool.ntp.org', 'ntp.ubuntu.com', '*.ntp.ubuntu.com', 'time.google.com', 'time*.google.com', 'time.cloudflare.com', 'time.windows.com', 'time.apple.com', 'time*.facebook.com'];

interface Source {
  name: string;
  evidence: Evidence;
}

export const timeServersAuthorised = defineEvaluator({
  name: 'time_servers_authorised',
  description:
    'Every server, pool or peer of chrony/ntp and every NTP=/FallbackNTP= server of timesyncd is one of `servers` ' +
    '(globs); at least one is configured. Without `servers` (not tailored), none may be a public pool of a distribution or vendor.',
  params: z.strictObject({
    /** The organisation's authorised time servers: host names or addresses, `*` allowed (`ntp*.example.internal`). */
    servers: z.array(z.string().min(1).max(253).regex(/^[A-Za-z0-9*?.:_-]+$/, 'host name, address or glob expected')).max(100).default([]),
  }),
  facts: ['time.sync'],
  run(ctx, p) {
    const tailored = p.servers.length > 0;
    const expected = tailored
      ? `time servers configured, all of them among ${p.servers.join(', ')}`
      : `time servers configured, none of them a public pool (${PUBLIC_POOLS.join(', ')}); a profile lists the authorised ones in \`servers\``;
    const found: Source[] = [];
    for (const src of textSources(ctx, 'time.sync')) {
      const timesyncd = (src.path ?? '').startsWith('/etc/systemd/');
      for (const { n, text } of splitLines(src.content)) {
        const t = text.trim();
        if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
        const ev: Evidence = { factId: 'time.sync', ...(src.path ? { path: src.path } : {}), line: n, excerpt: excerpt(t) };
        if (timesyncd) {
          const m = /^(NTP|FallbackNTP)\s*=\s*(.*)$/.exec(t);
          if (m) for (const name of (m[2] ?? '').split(/\s+/).filter(Boolean)) found.push({ name, evidence: ev });
        } else {
          const m = /^(server|pool|peer)\s+(\S+)/.exec(t);
          if (m) found.push({ name: m[2] as string, evidence: ev });
        }
      }
    }
    if (found.length === 0)
      return outcome('fail', expected, 'no time server configured', 'no server, pool or NTP= line in the time synchronisation configuration');
    const allowed = p.servers.map((g) => globToRegExp(g.toLowerCase()));
    const publicPools = PUBLIC_POOLS.map((g) => globToRegExp(g));
    const bad = found.filter((s) =>
      tailored
        ? !allowed.some((re) => re.test(s.name.toLowerCase()))
        : publicPools.some((re) => re.test(s.name.toLowerCase())),
    );
    const names = (l: Source[]) => tt([...new Set(l.map((s) => s.name))].join(', '));
    if (bad.length === 0)
      return outcome(
        'pass',
        expected,
        `configured: ${names(found)}`,
        tailored ? 'every configured time server is authorised' : 'the configured time servers are not public pools (no authorised list given)',
        found.slice(0, 20).map((s) => s.evidence),
      );
    return outcome(
      'fail',
      expected,
      `${tailored ? 'not authorised' : 'public pools'}: ${names(bad)}`,
      tailored
        ? `${bad.length} configured time server(s) not in the authorised list`
        : `${bad.length} configured time server(s) are public pools, not the organisation's servers`,
      bad.slice(0, 20).map((s) => s.evidence),
    );
  },
});
