/** Evaluators over listening sockets and the loaded firewall rules. */
import { z } from 'zod';
import type { Evidence } from '../../../shared/model/results.js';
import type { EvalContext } from '../context.js';
import { outcome, type FactUnavailable, type Outcome } from '../outcome.js';
import {
  isUnconditionalDrop,
  isUnconditionalIptablesDrop,
  parseIptablesSave,
  parseNftRuleset,
} from '../parsers/firewall.js';
import { isLoopback, parseSs, type ListeningSocket } from '../parsers/ss.js';
import { excerpt, targetText as tt } from '../parsers/text.js';
import { defineEvaluator } from './types.js';

const protoPort = z.string().regex(/^(tcp|udp)\/\d{1,5}$/, 'expected proto/port, e.g. tcp/22');

function sockets(ctx: EvalContext): ListeningSocket[] | Outcome {
  const c = ctx.command('net.listening');
  if (c.problem === 'missing')
    return outcome('error', 'listening sockets', 'ss not installed', 'ss is not available on the host');
  return ctx.memo('ss', () => parseSs(c.stdout));
}

const key = (s: ListeningSocket) => `${s.proto.startsWith('udp') ? 'udp' : 'tcp'}/${String(s.port)}`;
const describe = (s: ListeningSocket) =>
  `${key(s)} on ${tt(s.address)}${s.iface ? `%${tt(s.iface)}` : ''}${s.processes.length ? ` (${s.processes.map((p) => `${tt(p.name)} pid ${String(p.pid)}`).join(', ')})` : ' (process unknown)'}`;
const ev = (s: ListeningSocket): Evidence => ({
  factId: 'net.listening',
  line: s.line,
  excerpt: excerpt(s.text.trim()),
});

function dedupe(list: ListeningSocket[]): ListeningSocket[] {
  const seen = new Set<string>();
  return list.filter((s) => {
    const k = `${key(s)}|${s.processes.map((p) => p.name).join(',')}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export const listeningExposed = defineEvaluator({
  name: 'listening_exposed',
  description: 'Fails listing sockets on non-loopback addresses other than the allowed ports or processes.',
  params: z.strictObject({
    allow: z.array(protoPort).max(200).default(['tcp/22']),
    allow_processes: z.array(z.string().max(64)).max(200).default(['sshd']),
  }),
  facts: ['net.listening'],
  run(ctx, p) {
    const expected = `nothing listening on external addresses except ${[...p.allow, ...p.allow_processes].join(', ')}`;
    const all = sockets(ctx);
    if (!Array.isArray(all)) return all;
    const exposed = all.filter((s) => !isLoopback(s));
    const extra = dedupe(
      exposed.filter(
        (s) =>
          !p.allow.includes(key(s)) &&
          !(s.processes.length > 0 && s.processes.every((x) => p.allow_processes.includes(x.name))),
      ),
    );
    const unknown = exposed.some((s) => s.processes.length === 0) ? ' (process names need root)' : '';
    if (extra.length === 0)
      return outcome(
        'pass',
        expected,
        `${exposed.length} external socket(s), all allowed`,
        `only allowed services listen on external addresses${unknown}`,
      );
    return outcome(
      'fail',
      expected,
      extra.map(describe).join('; '),
      `${extra.length} other service(s) reachable from the network; review each${unknown}`,
      extra.map(ev),
    );
  },
});

export const listeningInsecure = defineEvaluator({
  name: 'listening_insecure',
  description:
    'Fails when a socket listens on one of the listed clear-text service ports or belongs to a listed process.',
  params: z.strictObject({
    ports: z.array(protoPort).max(200),
    processes: z.array(z.string().max(64)).max(200).default([]),
  }),
  facts: ['net.listening'],
  run(ctx, p) {
    const expected = `no listener on ${p.ports.join(', ')} and no ${p.processes.join(', ') || 'listed'} process`;
    const all = sockets(ctx);
    if (!Array.isArray(all)) return all;
    const bad = dedupe(
      all.filter((s) => p.ports.includes(key(s)) || s.processes.some((x) => p.processes.includes(x.name))),
    );
    if (bad.length === 0)
      return outcome(
        'pass',
        expected,
        `${all.length} listening socket(s), none of them clear-text services`,
        'no clear-text login or transfer service is listening',
      );
    return outcome(
      'fail',
      expected,
      bad.map(describe).join('; '),
      `${bad.length} clear-text service socket(s) listening`,
      bad.map(ev),
    );
  },
});

interface FwFinding {
  pass: boolean;
  summary: string;
  evidence: Evidence[];
}

type Hook = 'input' | 'forward' | 'output';

function nftFinding(stdout: string, hook: Hook): FwFinding {
  const chains = parseNftRuleset(stdout);
  const input = chains.filter((c) => c.hook === hook);
  for (const c of input) {
    const last = c.rules[c.rules.length - 1];
    const evidence: Evidence[] = [
      {
        factId: 'fw.nft',
        line: c.line,
        excerpt: excerpt(`${c.family} ${c.table} chain ${c.name}: policy ${c.policy ?? 'accept'}`),
      },
    ];
    if (c.policy === 'drop')
      return { pass: true, summary: tt(`nft ${c.family} ${c.table} chain ${c.name} policy drop`), evidence };
    if (last && isUnconditionalDrop(last.text)) {
      evidence.push({ factId: 'fw.nft', line: last.line, excerpt: excerpt(last.text) });
      return {
        pass: true,
        summary: tt(`nft ${c.family} ${c.table} chain ${c.name} ends with ${last.text}`),
        evidence,
      };
    }
  }
  if (chains.length === 0) return { pass: false, summary: 'no nftables rules loaded', evidence: [] };
  if (input.length === 0)
    return {
      pass: false,
      summary: `nftables: ${chains.length} chain(s), none on the ${hook} hook`,
      evidence: [],
    };
  return {
    pass: false,
    summary: `nftables ${hook} chain(s) ${input.map((c) => tt(`${c.table}/${c.name}`)).join(', ')} accept by default`,
    evidence: input.slice(0, 5).map((c) => ({
      factId: 'fw.nft',
      line: c.line,
      excerpt: excerpt(`chain ${c.name}: policy ${c.policy ?? 'accept'}`),
    })),
  };
}

function iptablesFinding(stdout: string, hook: Hook): FwFinding {
  const name = hook.toUpperCase();
  const filter = parseIptablesSave(stdout).find((t) => t.name === 'filter');
  if (!filter) return { pass: false, summary: 'no iptables filter table loaded', evidence: [] };
  const pol = filter.policies.get(name);
  const evidence: Evidence[] = pol
    ? [{ factId: 'fw.iptables', line: pol.line, excerpt: excerpt(pol.text) }]
    : [];
  if (pol && pol.policy === 'DROP') return { pass: true, summary: `iptables ${name} policy DROP`, evidence };
  const rules = filter.rules.filter((r) => r.chain === name);
  const last = rules[rules.length - 1];
  if (last && isUnconditionalIptablesDrop(last.spec)) {
    evidence.push({ factId: 'fw.iptables', line: last.line, excerpt: excerpt(last.text) });
    return { pass: true, summary: `iptables ${name} ends with ${tt(last.text)}`, evidence };
  }
  return {
    pass: false,
    summary: `iptables ${name} policy ${tt(pol?.policy ?? 'ACCEPT')} with ${rules.length} rule(s) and no final drop`,
    evidence,
  };
}

export const firewallDefaultDeny = defineEvaluator({
  name: 'firewall_default_deny',
  description:
    'Passes when an nftables base chain on the hook (input by default; forward, output) or the matching iptables chain drops unmatched traffic.',
  params: z.strictObject({ hook: z.enum(['input', 'forward', 'output']).default('input') }),
  facts: ['fw.nft', 'fw.iptables'],
  run(ctx, p) {
    const expected = `an ${p.hook} filter that drops unmatched traffic (nft policy drop / iptables ${p.hook.toUpperCase()} DROP, or a final drop/reject rule)`;
    const findings: FwFinding[] = [];
    let blocker: FactUnavailable | null = null;
    for (const id of ['fw.nft', 'fw.iptables'] as const) {
      const u = ctx.unavailable(id);
      if (u) {
        blocker ??= u;
        continue;
      }
      const c = ctx.command(id);
      if (c.problem === 'missing') {
        findings.push({
          pass: false,
          summary: `${id === 'fw.nft' ? 'nft' : 'iptables-save'} not installed`,
          evidence: [],
        });
        continue;
      }
      if (c.exitCode !== 0 && c.stdout.trim() === '') {
        findings.push({
          pass: false,
          summary: `${id === 'fw.nft' ? 'nft' : 'iptables-save'} failed (exit ${String(c.exitCode)}): ${excerpt(c.stderr.split('\n')[0] ?? '', 160)}`,
          evidence: [],
        });
        continue;
      }
      findings.push(id === 'fw.nft' ? nftFinding(c.stdout, p.hook) : iptablesFinding(c.stdout, p.hook));
    }
    const ok = findings.find((f) => f.pass);
    if (ok)
      return outcome(
        'pass',
        expected,
        ok.summary,
        p.hook === 'input'
          ? 'incoming traffic is dropped unless a rule allows it'
          : `${p.hook === 'forward' ? 'forwarded' : 'outgoing'} traffic is dropped unless a rule allows it`,
        ok.evidence,
      );
    if (blocker) throw blocker;
    const actual = findings.map((f) => f.summary).join('; ');
    return outcome(
      'fail',
      expected,
      actual,
      `no default-deny ${p.hook} filter is loaded: ${actual}`,
      findings.flatMap((f) => f.evidence),
    );
  },
});
