/**
 * What a snapshot says the target is: hostname and kernel from `host.id` (its lines are `id -u`, `id -un`,
 * the hostname, `uname -srm`), the distribution's PRETTY_NAME from `host.os_release`. Untrusted text in its text
 * form (shared/text/target-text.ts), bounded by the store (boundIdentity); a fact that is missing or damaged gives
 * nothing rather than a guess.
 */
import type { FactSnapshot } from '../../shared/facts/snapshot.js';
import type { TargetIdentity } from '../../shared/model/identity.js';
import { textForm } from '../../shared/text/target-text.js';
import { parseOsRelease } from '../engine/parsers/os-release.js';

export function identityFromSnapshot(snapshot: FactSnapshot): TargetIdentity {
  const out: TargetIdentity = {};
  const id = snapshot.facts['host.id'];
  if (id?.kind === 'command' && id.exitCode !== null && id.problem === undefined) {
    const lines = id.stdout.split('\n');
    const hostname = lines[2]?.trim();
    const kernel = lines[3]?.trim();
    if (hostname) out.hostname = textForm(hostname);
    if (kernel) out.kernel = textForm(kernel);
  }
  const os = snapshot.facts['host.os_release'];
  if (os?.kind === 'file' && os.content !== undefined) {
    const f = parseOsRelease(os.content);
    const pretty =
      f.PRETTY_NAME ?? (f.NAME !== undefined ? [f.NAME, f.VERSION].filter(Boolean).join(' ') : undefined);
    if (pretty) out.osRelease = textForm(pretty);
  }
  return out;
}
