import { cutForm } from '../text/target-text.js';

/**
 * What the target says it is, beside the name the consultant gave it, so a wrong machine is noticed at once.
 * Everything here is hostile target text in its text form (shared/text/target-text.ts; the banner keeps its
 * newlines), shown through the one escaping function of each destination, bounded by TARGET_IDENTITY_LIMITS. `hostname`, `osRelease` (PRETTY_NAME) and `kernel` come from the always-collected
 * facts; `sshBanner` is the message the SSH server sent before authentication, `sshServer` its identification
 * line (`SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3`).
 */
export interface TargetIdentity {
  hostname?: string;
  osRelease?: string;
  kernel?: string;
  sshBanner?: string;
  /** The banner was longer than its limit and is cut. */
  sshBannerTruncated?: boolean;
  sshServer?: string;
}

/** Longest text kept per identity field (UTF-16 code units). */
export const TARGET_IDENTITY_LIMITS = {
  hostname: 255,
  osRelease: 500,
  kernel: 500,
  sshBanner: 4096,
  sshServer: 255,
} as const;

type TextField = keyof typeof TARGET_IDENTITY_LIMITS;

/** The identity with every field cut to its limit and empty fields left out; a cut banner is flagged. */
export function boundIdentity(i: TargetIdentity): TargetIdentity {
  const out: TargetIdentity = {};
  for (const k of Object.keys(TARGET_IDENTITY_LIMITS) as TextField[]) {
    const v = i[k];
    if (typeof v !== 'string' || v === '') continue;
    // Never inside an escape or a surrogate pair.
    out[k] = cutForm(v, TARGET_IDENTITY_LIMITS[k]);
  }
  if (i.sshBannerTruncated === true || (i.sshBanner ?? '').length > TARGET_IDENTITY_LIMITS.sshBanner)
    if (out.sshBanner !== undefined) out.sshBannerTruncated = true;
  return out;
}
