/** Test helpers for the store: temporary workspace files and realistic snapshots and results. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SNAPSHOT_FORMAT, type FactSnapshot } from '../../../shared/facts/snapshot.js';
import { SEVERITIES, VERDICTS } from '../../../shared/model/results.js';
import type { HostRunStats, RecordedResult } from '../../../shared/model/workspace.js';
import { randomUUID } from 'node:crypto';
import { openWorkspace, type Workspace } from '../../../main/store/db.js';
import { processOwner, type OwnerIdentity } from '../../../main/store/lease.js';

/**
 * A scan owner that has ended: this machine and boot, this process's pid but another start time (what a pid
 * reused after the owner died looks like). Opening a workspace with it poses as that dead process.
 */
export function goneOwner(): OwnerIdentity {
  const me = processOwner();
  return { ...me, id: randomUUID(), pidStart: (me.pidStart ?? 0) + 1 };
}

/** A fresh directory removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'foureyes-store-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A host-like snapshot: passwd with many accounts, sshd_config, a package list, sysctl output. */
export function makeSnapshot(opts: { packages?: number; complete?: boolean } = {}): FactSnapshot {
  const packages = opts.packages ?? 1500;
  const passwd = Array.from({ length: 60 }, (_, i) =>
    i === 0
      ? 'root:x:0:0:root:/root:/bin/bash'
      : `user${i}:x:${1000 + i}:${1000 + i}:User ${i},,,:/home/user${i}:/bin/bash`,
  ).join('\n');
  const sshd = [
    '# $OpenBSD: sshd_config,v 1.104 2021/07/02 $',
    'Include /etc/ssh/sshd_config.d/*.conf',
    'PermitRootLogin yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'UsePAM yes',
    'X11Forwarding yes',
    'PrintMotd no',
    'AcceptEnv LANG LC_* ümlaut-test',
    'Subsystem sftp /usr/lib/openssh/sftp-server',
  ].join('\n');
  const pkgs = Array.from(
    { length: packages },
    (_, i) => `ii\tlib-package-${i}\t${1 + (i % 7)}.${i % 13}.${i % 31}-${i % 5}+deb12u${i % 3}\tamd64`,
  ).join('\n');
  const sysctl = Array.from(
    { length: 200 },
    (_, i) => `net.ipv4.conf.eth${i % 4}.setting_${i} = ${i % 2}`,
  ).join('\n');
  return {
    format: SNAPSHOT_FORMAT,
    collectorVersion: '1.0.0',
    collectedAt: '2026-03-01T10:00:00.000Z',
    source: 'ssh',
    privileged: true,
    complete: opts.complete ?? true,
    facts: {
      'accounts.passwd': {
        kind: 'file',
        path: '/etc/passwd',
        exists: true,
        stat: { type: 'file', mode: 0o644, uid: 0, gid: 0, user: 'root', group: 'root', size: passwd.length },
        sha256: 'a'.repeat(64),
        content: passwd,
      },
      'sshd.config': {
        kind: 'file',
        path: '/etc/ssh/sshd_config',
        exists: true,
        stat: { type: 'file', mode: 0o600, uid: 0, gid: 0, user: 'root', group: 'root', size: sshd.length },
        content: sshd,
      },
      'pkg.list': { kind: 'command', exitCode: 0, stdout: pkgs, stderr: '' },
      'sysctl.net': { kind: 'command', exitCode: 0, stdout: sysctl, stderr: '', stdoutTruncated: false },
      'accounts.shadow': {
        kind: 'file',
        path: '/etc/shadow',
        exists: true,
        problem: 'denied',
        detail: 'Permission denied',
      },
      'fw.nft': { kind: 'command', exitCode: null, stdout: '', stderr: '', problem: 'missing' },
    },
    issues: [{ factId: 'fw.nft', message: 'nft not installed' }],
  };
}

/** `n` results with every verdict and severity represented, check ids `check-00000`, ... */
export function makeResults(n: number): RecordedResult[] {
  return Array.from({ length: n }, (_, i) => ({
    checkId: `check-${String(i).padStart(5, '0')}`,
    checkDigest: `digest-${i}`,
    verdict: VERDICTS[i % VERDICTS.length]!,
    severity: SEVERITIES[i % SEVERITIES.length]!,
    expected: 'PermitRootLogin no',
    actual: `PermitRootLogin yes (/etc/ssh/sshd_config:${i + 1})`,
    reason: 'Root may log in over SSH.',
    evidence: [
      { factId: 'sshd.config', path: '/etc/ssh/sshd_config', line: 3, excerpt: 'PermitRootLogin yes' },
    ],
    ...(i % 11 === 0 ? { needsPrivilege: true } : {}),
  }));
}

export const STATS: HostRunStats = {
  connections: 1,
  execChannels: 1,
  bytesIn: 123_456,
  bytesOut: 8_192,
  durationsMs: { connect: 120, collect: 900, evaluate: 35, total: 1055 },
};

/** An open workspace with one engagement and two hosts (db01, web01). */
export function seededWorkspace(path: string): {
  ws: Workspace;
  engagementId: string;
  hostIds: [string, string];
} {
  const ws = openWorkspace(path);
  const e = ws.engagements.create({
    name: 'Acme audit',
    customer: 'Acme Ltd',
    scope: 'Linux servers in DMZ',
  });
  const a = ws.hosts.add(e.id, { name: 'db01', address: '10.77.0.11', user: 'audit' });
  const b = ws.hosts.add(e.id, {
    name: 'web01',
    address: '10.77.0.12',
    user: 'audit',
    auth: { type: 'key', keyPath: '/k' },
  });
  return { ws, engagementId: e.id, hostIds: [a.id, b.id] };
}
