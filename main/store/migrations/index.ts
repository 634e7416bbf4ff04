/**
 * The registry of schema steps, in order. A step is added here and nowhere else; `user_version` holds the number
 * of the last step applied.
 */
import { m0001 } from './0001-initial.js';
import { m0002 } from './0002-result-keys-index.js';
import { m0003 } from './0003-stored-secret.js';
import { m0004 } from './0004-host-run-outcome.js';
import { m0005 } from './0005-scan-owner.js';
import { m0006 } from './0006-people-audit.js';
import { m0007 } from './0007-findings.js';
import { m0008 } from './0008-review-package.js';
import { m0009 } from './0009-waivers.js';
import { m0010 } from './0010-person-seal.js';
import { m0011 } from './0011-publish-token.js';
import { m0012 } from './0012-attestation.js';
import { m0013 } from './0013-scan-definitions.js';
import type { Migration } from './types.js';

export type { Migration } from './types.js';
export { APPLICATION_ID } from './0001-initial.js';

export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010, m0011, m0012, m0013];

/** Throws when the registry is not numbered 1, 2, 3, ... without gaps (a programming error, caught by tests). */
export function assertRegistry(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migration ${m.name} has number ${m.version}, expected ${i + 1}`);
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(m.name))
      throw new Error(`migration ${m.version} has a bad name: ${m.name}`);
  });
}

export const LATEST_VERSION = MIGRATIONS.length;
