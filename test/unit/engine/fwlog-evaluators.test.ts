/**
 * The firewall hook, sudoers numeric bound and authorised time servers parameters (the forms a profile's tailoring
 * sets), and a root-only command whose tool is absent under restricted sudo (read as missing, as a root scan reads it).
 */
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import { evaluateCheck } from '../../../main/engine/evaluate.js';
import type { Check } from '../../../shared/checks/schema.js';
import { snap } from './fixtures/build.js';

const cat = loadCatalogue();
const check = (id: string): Check => {
  const c = cat.byId.get(id);
  if (!c) throw new Error(id);
  return c;
};
const withParams = (id: string, params: Record<string, unknown>): Check => {
  const c = check(id);
  if (c.rule.type !== 'evaluator') throw new Error(`${id} is not an evaluator check`);
  return { ...c, rule: { ...c.rule, params: { ...(c.rule.params ?? {}), ...params } } };
};
const NFT = 'table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t}\n\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n\t}\n}\n';

describe('firewall_default_deny hook', () => {
  it('input passes and forward fails on the same ruleset', () => {
    const s = snap({ cmds: { 'fw.nft': NFT, 'fw.iptables': { problem: 'missing' } } });
    expect(evaluateCheck(s, check('firewall-default-deny')).verdict).toBe('pass');
    const r = evaluateCheck(s, check('firewall-forward-default-deny'));
    expect(r.verdict).toBe('fail');
    expect(r.reason).toContain('forward');
  });

  it('reads the iptables chain of the hook', () => {
    const s = snap({ cmds: { 'fw.nft': { problem: 'missing' }, 'fw.iptables': '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n' } });
    expect(evaluateCheck(s, check('firewall-forward-default-deny')).verdict).toBe('pass');
    expect(evaluateCheck(s, check('firewall-output-default-deny')).verdict).toBe('fail');
  });
});

describe('sudoers_default max', () => {
  const sudoers = (text: string) => snap({ sets: { 'sudo.sudoers': { '/etc/sudoers': text } } });
  it('passes at the bound, fails above it, on a negative value and when the bound is tailored lower', () => {
    expect(evaluateCheck(sudoers('Defaults timestamp_timeout=15\n'), check('sudo-timestamp-timeout')).verdict).toBe('pass');
    expect(evaluateCheck(sudoers('Defaults timestamp_timeout=16\n'), check('sudo-timestamp-timeout')).verdict).toBe('fail');
    expect(evaluateCheck(sudoers('Defaults timestamp_timeout=-1\n'), check('sudo-timestamp-timeout')).verdict).toBe('fail');
    expect(evaluateCheck(sudoers('Defaults env_reset\n'), withParams('sudo-timestamp-timeout', { max: 3 })).verdict).toBe('fail');
  });
});

describe('time_servers_authorised', () => {
  const chrony = (text: string) => snap({ sets: { 'time.sync': { '/etc/chrony/chrony.conf': text } } });
  const tailored = withParams('time-sync-authorised-servers', { servers: ['ntp*.example.internal'] });
  it('with a list, every configured server must match it', () => {
    expect(evaluateCheck(chrony('server ntp1.example.internal iburst\n'), tailored).verdict).toBe('pass');
    const r = evaluateCheck(chrony('server ntp1.example.internal iburst\nserver time.example.com\n'), tailored);
    expect(r.verdict).toBe('fail');
    expect(r.actual).toContain('time.example.com');
  });
  it('reads timesyncd NTP= lists', () => {
    const s = snap({ sets: { 'time.sync': { '/etc/systemd/timesyncd.conf': '[Time]\nNTP=ntp1.example.internal ntp.ubuntu.com\n' } } });
    expect(evaluateCheck(s, tailored).verdict).toBe('fail');
    expect(evaluateCheck(s, check('time-sync-authorised-servers')).verdict).toBe('fail');
  });
});

describe('restricted sudo and a missing tool', () => {
  const restricted = (facts: Record<string, unknown>) => {
    const s = snap({ privileged: false, raw: facts as never });
    return { ...s, sudo: { user: 'auditor', listing: { defaults: [], rules: [] }, commands: [], unread: [] } };
  };
  it('a root-only command not installed is missing, not manual', () => {
    const r = evaluateCheck(
      restricted({ 'mac.apparmor_status': { kind: 'command', exitCode: null, stdout: '', stderr: '', problem: 'missing' } }),
      check('mac-apparmor-profiles-loaded'),
    );
    expect(r.verdict).toBe('fail');
  });
  it('a root-only command installed but not run through sudo stays manual', () => {
    const r = evaluateCheck(
      restricted({ 'mac.apparmor_status': { kind: 'command', exitCode: 1, stdout: '', stderr: '', problem: 'denied' } }),
      check('mac-apparmor-profiles-loaded'),
    );
    expect(r.verdict).toBe('manual');
  });
});
