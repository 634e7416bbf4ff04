import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostImportResultSchema } from '../../../shared/api/schemas/workspace.js';
import type { HostService } from '../../../main/api/services.js';
import { jobsFor } from '../../../main/services/scan-jobs.js';
import { hostService } from '../../../main/services/hosts.js';
import { openWorkspace, type Workspace } from '../../../main/store/db.js';

let dir: string;
let ws: Workspace;
let svc: HostService;
let engagementId: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fe-import-'));
  ws = openWorkspace(path.join(dir, 'ws.sqlite'));
  svc = hostService(ws);
  engagementId = ws.engagements.create({ name: 'Import' }).id;
});
afterEach(() => {
  ws.close();
  rmSync(dir, { recursive: true, force: true });
});

async function importText(
  source: 'ssh_config' | 'ansible-ini' | 'csv',
  content: string,
  dryRun = false,
  fileName?: string,
) {
  return HostImportResultSchema.parse(
    await svc.import({ engagementId, source, content, dryRun, ...(fileName ? { fileName } : {}) }),
  );
}

const stored = () => Object.fromEntries(ws.hosts.list(engagementId).map((h) => [h.name, h]));

describe('host.import from ssh_config', () => {
  it('stores a ProxyJump chain defined in any order, each host with its jump host, jump hosts first', async () => {
    const r = await importText(
      'ssh_config',
      `Host deep
  HostName 10.2.0.1
  ProxyJump mid
Host mid
  HostName 10.1.0.1
  ProxyJump bastion
  IdentityFile ~/.ssh/mid_key
Host bastion
  HostName 192.0.2.10
  User jump
Host *
  User audit
`,
    );
    expect(r.errors).toEqual([]);
    expect(r.added.map((h) => h.name)).toEqual(['deep', 'mid', 'bastion']);
    const s = stored();
    expect(s['bastion']).toMatchObject({ address: '192.0.2.10', user: 'jump', jumpHostId: null });
    expect(s['mid']).toMatchObject({
      user: 'audit',
      jumpHostId: s['bastion']!.id,
      auth: { type: 'key', keyPath: path.join(homedir(), '.ssh/mid_key') },
    });
    expect(s['deep']).toMatchObject({ jumpHostId: s['mid']!.id });
    expect(r.hosts.find((h) => h.name === 'deep')?.jumpHostId).toBe(s['mid']!.id);
    // A scan of deep goes through bastion, then mid.
    const [planned] = jobsFor(ws, engagementId, [s['deep']!.id]);
    const target = planned!.job.target;
    expect(target.kind === 'ssh' ? target.target.jumps.map((j) => j.name) : []).toEqual(['bastion', 'mid']);
  });

  it('resolves jumps to hosts already in the engagement by name, and by address and port', async () => {
    const gw = ws.hosts.add(engagementId, {
      name: 'gateway',
      address: '198.51.100.7',
      port: 2200,
      user: 'ops',
    });
    const r = await importText(
      'ssh_config',
      `Host a
  ProxyJump gateway
Host b
  ProxyJump ops@198.51.100.7:2200
Host c
  ProxyJump 198.51.100.7:22
`,
    );
    const s = stored();
    expect(s['a']?.jumpHostId).toBe(gw.id);
    expect(s['b']?.jumpHostId).toBe(gw.id);
    expect(s['c']).toBeUndefined();
    expect(r.errors).toEqual([
      {
        line: 5,
        message: 'ssh_config:5: c: Jump host 198.51.100.7 is not in this file or the engagement; host not imported.',
      },
    ]);
  });

  it('an unknown jump host is an error on the host line; hosts behind it and loops are refused; the rest is stored', async () => {
    const r = await importText(
      'ssh_config',
      `Host ok
  HostName 10.0.0.1
Host lost
  ProxyJump nowhere
Host behind
  ProxyJump lost
Host loop1
  ProxyJump loop2
Host loop2
  ProxyJump loop1
`,
    );
    expect(Object.keys(stored())).toEqual(['ok']);
    expect(r.added.map((h) => h.name)).toEqual(['ok']);
    const msgs = r.errors.map((e) => [e.line, e.message]);
    expect(msgs).toContainEqual([
      3,
      'ssh_config:3: lost: Jump host nowhere is not in this file or the engagement; host not imported.',
    ]);
    expect(msgs).toContainEqual([
      5,
      'ssh_config:5: behind: Its jump host lost is not imported (see its error); host not imported.',
    ]);
    expect(msgs.filter(([, m]) => String(m).includes('loop'))).toHaveLength(2);
    expect(r.errors).toHaveLength(4);
  });

  it('a dry run stores nothing and reports jumps to engagement hosts by id, jumps within the file as null', async () => {
    const gw = ws.hosts.add(engagementId, { name: 'gateway', address: '198.51.100.7', user: 'ops' });
    const r = await importText('ssh_config', 'Host x\n  ProxyJump gateway\nHost y\n  ProxyJump x\n', true);
    expect(r.added).toEqual([]);
    expect(r.hosts.map((h) => [h.name, h.jumpHostId])).toEqual([
      ['x', gw.id],
      ['y', null],
    ]);
    expect(Object.keys(stored())).toEqual(['gateway']);
  });

  it('a catch-all ProxyJump that covers the jump host itself: the jump host is imported without one', async () => {
    const r = await importText(
      'ssh_config',
      'Host bastion\n  HostName 192.0.2.1\nHost app\nHost *\n  ProxyJump bastion\n',
    );
    const s = stored();
    expect(s['bastion']?.jumpHostId).toBeNull();
    expect(s['app']?.jumpHostId).toBe(s['bastion']!.id);
    expect(r.errors).toEqual([
      { line: 1, message: 'ssh_config:1: bastion: It names itself as its jump host; imported without a jump host.' },
    ]);
  });

  it('a name already in the engagement is reported and skipped; the others are stored', async () => {
    ws.hosts.add(engagementId, { name: 'web1', address: '10.0.0.5', user: 'audit' });
    const r = await importText('ssh_config', 'Host web1 web2\n  User audit\n');
    expect(r.added.map((h) => h.name)).toEqual(['web2']);
    expect(r.errors).toEqual([
      { line: 1, message: 'ssh_config:1: web1: A host of this name is already in the engagement; not imported again.' },
    ]);
  });

  it('parser problems (Match, garbage) come back with their lines next to the imported hosts', async () => {
    const r = await importText('ssh_config', 'Host a\nMatch all\n  User x\nwhat is this\n');
    expect(r.added.map((h) => h.name)).toEqual(['a']);
    expect(r.errors.map((e) => e.line)).toEqual([2, 4]);
  });
});

describe('host.import jump resolution for other sources', () => {
  it('Ansible INI: ProxyJump from ansible_ssh_common_args resolves to a host of the same inventory', async () => {
    const r = await importText(
      'ansible-ini',
      `[jump]
bastion ansible_host=192.0.2.10

[web]
web01 ansible_host=10.1.0.1
web02 ansible_host=10.1.0.2

[web:vars]
ansible_ssh_common_args='-o ProxyJump=bastion'
`,
    );
    expect(r.errors).toEqual([]);
    const s = stored();
    expect(s['web01']?.jumpHostId).toBe(s['bastion']!.id);
    expect(s['web02']?.jumpHostId).toBe(s['bastion']!.id);
    expect(s['bastion']?.jumpHostId).toBeNull();
  });

  it('CSV: the jump column resolves too, and an unknown one is an error on its row', async () => {
    const r = await importText(
      'csv',
      'name,address,jump\nbastion,192.0.2.10,\napp,10.0.0.2,bastion\nother,10.0.0.3,ghost\n',
    );
    expect(stored()['app']?.jumpHostId).toBe(stored()['bastion']!.id);
    expect(r.errors).toEqual([
      {
        line: 4,
        message: 'CSV:4: other: Jump host ghost is not in this file or the engagement; host not imported.',
      },
    ]);
  });
});

describe('host.import messages', () => {
  it('every field the contract refuses is one sentence naming file, line and field; the file is the one given', async () => {
    const groups = Array.from({ length: 33 }, (_v, i) => `g${i}`).join(';');
    const name = 'n'.repeat(220);
    const r = await importText(
      'csv',
      `name,address,groups\nok,10.0.0.1,web\n${name},10.0.0.2,${groups}\n`,
      true,
      'customer-hosts.csv',
    );
    expect(r.hosts.map((h) => h.name)).toEqual(['ok']);
    expect(r.errors).toEqual([
      {
        line: 3,
        message: `customer-hosts.csv:3: ${name}: Host name must be at most 200 characters (this one has 220). Host not imported.`,
      },
      { line: 3, message: `customer-hosts.csv:3: ${name}: At most 32 tags can be given. Host not imported.` },
    ]);
  });
});
