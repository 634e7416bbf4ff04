/** A workspace with two people of this workstation and a trail of ordinary events, for the audit tests. */
import { join } from 'node:path';
import { recordAudit } from '../../../main/audit/trail.js';
import type { Acting } from '../../../main/people/acting.js';
import { addPerson, unlock } from '../../../main/people/people.js';
import { openWorkspace, type Workspace } from '../../../main/store/db.js';

export const PASS = 'correct horse battery';

export interface TrailFixture {
  ws: Workspace;
  alice: Acting;
  bob: Acting;
}

/** Alice and Bob added (2 events), then `n` more events alternating between them. */
export function trailWorkspace(dir: string, n: number, file = 'w.sqlite'): TrailFixture {
  const ws = openWorkspace(join(dir, file));
  addPerson(ws, { name: 'Alice', role: 'consultant', email: 'alice@example.org' }, PASS);
  addPerson(ws, { name: 'Bob', role: 'reviewer', email: 'bob@example.org' }, PASS);
  const alice = unlock(ws, 'Alice', PASS);
  const bob = unlock(ws, 'Bob', PASS);
  const record = recordAudit(ws);
  for (let i = 0; i < n; i++) {
    record(i % 2 === 0 ? alice : bob, {
      action: i % 3 === 0 ? 'finding.edit' : 'host.edit',
      object: { type: i % 3 === 0 ? 'finding' : 'host', id: `obj-${i % 4}` },
      ...(i % 5 === 0 ? { reason: `because ${i}` } : {}),
      before: { title: `t${i}`, n: i },
      after: { title: `t${i + 1}`, n: i + 1, tags: ['a', 'ü'] },
      ...(i % 2 === 0 ? { details: { catalogueVersion: '2026.03', count: i } } : {}),
    });
  }
  return { ws, alice, bob };
}
