/** Turns CLI arguments and inventory files into scan jobs. */
import { existsSync, readFileSync } from 'node:fs';
import { decodeUserFile } from '../inventory/text.js';
import { homedir, userInfo } from 'node:os';
import { extname } from 'node:path';
import { FoureyesError } from '../../shared/model/errors.js';
import type { AuthMethod, HostKeyPolicy, SshEndpoint, SshTarget } from '../../shared/model/target.js';
import type { ScanJob } from '../scan/runner.js';
import type { InventoryHost, InventoryParse } from '../inventory/types.js';
import { parseJumpSpec, resolveAlias } from '../ssh/ssh-config.js';
import { expandHome } from '../ssh/paths.js';

export interface TargetOptions {
  identity?: string;
  knownHosts: string[];
  acceptNew: boolean;
  pin?: string;
  jump?: string;
  sshConfig?: string;
  sudo: boolean;
  password: boolean;
}

/** The known_hosts files read: those given, or ~/.ssh/known_hosts. */
export function knownHostsFiles(o: Pick<TargetOptions, 'knownHosts'>): string[] {
  return o.knownHosts.length ? o.knownHosts : [expandHome('~/.ssh/known_hosts')];
}

function hostKeyPolicy(o: TargetOptions): HostKeyPolicy {
  const files = knownHostsFiles(o);
  return { knownHostsFiles: files, acceptNew: o.acceptNew, ...(o.pin ? { pinnedFingerprint: o.pin } : {}) };
}

function auth(o: TargetOptions, identity?: string): AuthMethod {
  if (o.password) return { type: 'password' };
  const key = identity ?? o.identity;
  if (key) return { type: 'key', keyPath: expandHome(key) };
  if (process.env.SSH_AUTH_SOCK) return { type: 'agent' };
  for (const k of ['~/.ssh/id_ed25519', '~/.ssh/id_ecdsa', '~/.ssh/id_rsa'].map((p) => expandHome(p)))
    if (existsSync(k)) return { type: 'key', keyPath: k };
  throw new FoureyesError('bad_input', 'no identity: give -i FILE, run an ssh agent or use --password-file');
}

function jumps(spec: string | undefined, o: TargetOptions, user: string): SshEndpoint[] {
  if (!spec) return [];
  return spec.split(',').map((s) => {
    const j = parseJumpSpec(s);
    return {
      name: j.host,
      address: j.host.replace(/^\[|\]$/g, ''),
      port: j.port ?? 22,
      user: j.user ?? user,
      auth: auth(o),
      hostKey: hostKeyPolicy(o),
    };
  });
}

const SPEC = /^(?:([^@\s]+)@)?(\[[0-9A-Fa-f:.]+\]|[^:@\s[\]]+)(?::([0-9]{1,5}))?$/;

function defaultSshConfig(o: TargetOptions): string | undefined {
  if (o.sshConfig) return o.sshConfig;
  const p = `${homedir()}/.ssh/config`;
  return existsSync(p) ? p : undefined;
}

/** One job for `user@host[:port]` or an ssh_config alias. */
export function jobFromSpec(spec: string, o: TargetOptions): ScanJob {
  const m = SPEC.exec(spec);
  if (!m) throw new FoureyesError('bad_input', `"${spec}" is not user@host[:port] or a host alias`);
  const [, user, host = '', port] = m;
  const privilege: SshTarget['privilege'] = o.sudo ? 'sudo' : 'auto';
  const cfg = defaultSshConfig(o);
  if (cfg && !user && !port) {
    const r = resolveAlias(cfg, host, { privilege });
    const t: SshTarget = { ...r.target, name: spec };
    if (o.identity) t.auth = auth(o);
    // Command-line host key options win over ssh_config's known_hosts files.
    const files = o.knownHosts.length ? o.knownHosts : t.hostKey.knownHostsFiles;
    t.hostKey = { ...t.hostKey, acceptNew: t.hostKey.acceptNew || o.acceptNew, knownHostsFiles: files };
    if (o.pin) t.hostKey.pinnedFingerprint = o.pin;
    return { name: spec, target: { kind: 'ssh', target: t } };
  }
  const p = port ? Number(port) : 22;
  if (!(p >= 1 && p <= 65535)) throw new FoureyesError('bad_input', `"${spec}": port ${port} is out of range`);
  const u = user ?? userInfo().username;
  const target: SshTarget = {
    name: spec,
    address: host.replace(/^\[|\]$/g, ''),
    port: p,
    user: u,
    auth: auth(o),
    hostKey: hostKeyPolicy(o),
    jumps: jumps(o.jump, o, u),
    privilege,
  };
  return { name: spec, target: { kind: 'ssh', target } };
}

/** The parser of an inventory file by its extension, loaded when used (the YAML parser only for YAML files). */
async function inventoryParser(ext: string): Promise<((text: string, file: string) => InventoryParse) | undefined> {
  if (ext === '.csv') return (await import('../inventory/csv.js')).parseCsvInventory;
  if (ext === '.yml' || ext === '.yaml') return (await import('../inventory/ansible.js')).parseAnsibleYaml;
  if (ext === '.ini') return (await import('../inventory/ansible.js')).parseAnsibleIni;
  return undefined;
}

/** Jobs for every host of an inventory file; problems are a user error naming file and line. */
export async function jobsFromInventory(file: string, o: TargetOptions): Promise<ScanJob[]> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new FoureyesError('bad_input', `cannot read inventory ${file} (${(e as NodeJS.ErrnoException).code ?? ''})`);
  }
  const text = decodeUserFile(bytes, file);
  const parser = await inventoryParser(extname(file).toLowerCase());
  const parsed = parser?.(text, file);
  if (!parsed) throw new FoureyesError('bad_input', `${file}: inventory must be .csv, .yml, .yaml or .ini`);
  // Each problem already names file, line and field: one per line.
  if (parsed.problems.length) throw new FoureyesError('bad_input', parsed.problems.map((p) => p.message).join('\n'));
  return parsed.hosts.map((h: InventoryHost) => {
    const u = h.user ?? userInfo().username;
    const target: SshTarget = {
      name: h.name,
      address: h.address,
      port: h.port ?? 22,
      user: u,
      auth: auth(o, h.identityFile),
      hostKey: hostKeyPolicy(o),
      jumps: jumps(h.jump ?? o.jump, o, u),
      privilege: o.sudo ? 'sudo' : 'auto',
    };
    return { name: h.name, target: { kind: 'ssh', target } };
  });
}
