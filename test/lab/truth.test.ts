/**
 * Keeps truth/*.yaml in step with the catalogue: every check has a verdict on careless, partial and hardened,
 * no id is unknown, the machine-kernel conditions restate the catalogue's own rules, and the unprivileged list
 * is exactly the checks that read a root-only fact (sshd options excepted: they fall back to the files).
 */
import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../main/catalogue/load.js';
import { FACTS } from '../../shared/facts/registry.js';
import { loadTruth, readTruthFile } from './truth.js';

const catalogue = loadCatalogue();
const ids = catalogue.checks.map((c) => c.id).sort();

describe('lab truth', () => {
  const t = readTruthFile();

  it.each(['careless', 'partial', 'hardened'])('has a verdict for every catalogue check on %s', (host) => {
    expect(Object.keys(t.hosts[host] ?? {}).sort()).toEqual(ids);
  });

  it('names only checks that exist', () => {
    const known = new Set(ids);
    const named = [
      ...Object.values(t.hosts).flatMap((h) => Object.keys(h)),
      ...Object.keys(t.machine_kernel),
      ...Object.keys(t.machine_cmdline),
      ...t.unprivileged.manual,
    ];
    expect(named.filter((id) => !known.has(id))).toEqual([]);
    expect(Object.keys(t.hosts.hostile ?? {}).length).toBeGreaterThanOrEqual(10);
  });

  it('restates the catalogue rule of each machine-kernel check', () => {
    for (const [id, conds] of Object.entries(t.machine_kernel)) {
      const rule = catalogue.byId.get(id)?.rule;
      const rules = rule?.type === 'all' ? rule.rules : [rule];
      expect(
        rules.map((r) => (r?.type === 'sysctl' ? { key: r.key, op: r.op, value: r.value } : r)),
        id,
      ).toEqual(conds);
    }
  });

  it('gives machine-cmdline conditions only to checks that read the kernel command line', () => {
    for (const id of Object.keys(t.machine_cmdline)) expect(catalogue.byId.get(id)?.facts, id).toEqual(['boot.cmdline']);
  });

  it('lists as unprivileged-manual exactly the checks reading a root-only fact', () => {
    const rootOnly = catalogue.checks
      .filter((c) =>
        c.facts.some(
          (f) => f !== 'sshd.effective' && 'privileged' in FACTS[f] && FACTS[f].privileged === true,
        ),
      )
      .map((c) => c.id)
      .sort();
    expect([...t.unprivileged.manual].sort()).toEqual(rootOnly);
  });

  it('resolves machine-kernel checks from the kernel values and applies the unprivileged list', () => {
    const strict = loadTruth({ sysctl: () => 2 });
    const lax = loadTruth({ sysctl: () => 0 });
    expect(strict.get('careless')?.get('sysctl-kptr-restrict')).toBe('pass');
    expect(lax.get('careless')?.get('sysctl-kptr-restrict')).toBe('fail');
    expect(lax.get('hardened')?.get('sysctl-suid-dumpable')).toBe('pass');
    expect(strict.get('hardened')?.get('sysctl-aslr-full')).toBe('pass');
    expect(strict.get('hardened')?.get('sysctl-dmesg-restrict')).toBe('fail');
    const booted = loadTruth({ cmdline: () => 'BOOT_IMAGE=/vmlinuz ro audit=1 audit_backlog_limit=8192 apparmor=1 security=apparmor' });
    const bare = loadTruth({ cmdline: () => 'BOOT_IMAGE=/vmlinuz ro audit_backlog_limit=64 audit=0' });
    expect(booted.get('hardened')?.get('boot-audit-enabled')).toBe('pass');
    expect(booted.get('careless')?.get('boot-audit-backlog-limit')).toBe('pass');
    expect(booted.get('careless')?.get('boot-apparmor-enabled')).toBe('pass');
    expect(bare.get('hardened')?.get('boot-audit-enabled')).toBe('fail');
    expect(bare.get('hardened')?.get('boot-audit-backlog-limit')).toBe('fail');
    const unpriv = loadTruth({ privileged: false, sysctl: () => 1 });
    expect(unpriv.get('careless')?.get('accounts-empty-passwords')).toBe('manual');
    expect(unpriv.get('careless')?.get('sshd-permit-root-login')).toBe('fail');
    for (const verdicts of loadTruth().values())
      expect(
        [...verdicts.values()].every((v) =>
          ['pass', 'fail', 'not_applicable', 'error', 'manual'].includes(v),
        ),
      ).toBe(true);
  });
});
