/**
 * Killed mid-burst: a child process (node, the real findings service on a real workspace file) edits findings as fast
 * as it can, printing an acknowledgement after each committed edit; the test kills it with SIGKILL at a random point,
 * 15 times over on the same file. After each kill the file passes `PRAGMA integrity_check`, the trail verifies (the
 * real verifier), every acknowledged edit is in the store with its history row and its signed audit event, and no
 * edit is there without its event (one transaction each).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyTrail } from '../../../main/audit/verify.js';
import { addPerson } from '../../../main/people/people.js';
import { openWorkspace } from '../../../main/store/db.js';
import { ensureBuilt } from '../../support/build.js';
import { findingsFixture, type FindingsFixture } from './fixtures.js';

const CHILD = join(__dirname, 'kill-burst-child.mjs');
const PASS = 'canary-kill-burst-5a0e';
const ROUNDS = 15;

let fx: FindingsFixture;
let file: string;
let ids: string[];

beforeAll(() => {
  ensureBuilt();
  fx = findingsFixture();
  fx.scan({ db01: { [fx.checks[0]]: 'fail', [fx.checks[1]]: 'fail' }, web01: { [fx.checks[0]]: 'fail' } });
  addPerson(fx.ws, { name: 'Alice', role: 'consultant', email: 'alice@example.org' }, PASS);
  ids = fx.checks.map((c) => fx.ws.findings.forCheck(fx.engagementId, c)!.id);
  file = fx.ws.path;
  fx.ws.close();
}, 300_000);
afterAll(() => fx.cleanup());

interface Ack {
  findingId: string;
  revision: number;
  notes: string;
}

/** Runs one burst and kills it `afterMs` after it is ready; resolves to the acknowledged edits. */
function burst(round: number, afterMs: number): Promise<{ acks: Ack[]; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, file, String(round)], {
      env: { ...process.env, FE_PERSON: 'Alice', FE_PASSPHRASE: PASS, FE_FINDINGS: ids.join(',') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Ack[] = [];
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'ready') {
        setTimeout(() => child.kill('SIGKILL'), afterMs);
        return;
      }
      const m = /^ack (\S+) (\d+) (.+)$/.exec(line);
      if (m) acks.push({ findingId: m[1]!, revision: Number(m[2]), notes: m[3]! });
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the burst ended by itself (exit ${code}): ${stderr}`));
      else resolve({ acks, signal });
    });
  });
}

describe('finding edits killed with SIGKILL mid-burst', () => {
  it(`keeps the file whole, the trail verifiable and every acknowledged edit, ${ROUNDS} rounds`, async () => {
    let acknowledged = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const { acks } = await burst(round, 20 + Math.floor(Math.random() * 400));
      acknowledged += acks.length;

      const db = new Database(file, { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true }), `round ${round}`).toBe('ok');
        const change = db.prepare(
          "SELECT count(*) AS n FROM finding_change WHERE finding_id = ? AND revision = ? AND field = 'notes' AND after = ? AND actor_name = 'Alice'",
        );
        for (const a of acks)
          expect((change.get(a.findingId, a.revision, JSON.stringify(a.notes)) as { n: number }).n, `round ${round}: ${a.notes}`).toBe(1);
        for (const id of ids) {
          const last = acks.filter((a) => a.findingId === id).at(-1);
          const row = db.prepare('SELECT revision, notes FROM finding WHERE id = ?').get(id) as { revision: number; notes: string };
          // The last acknowledged edit is there; at most one more (committed, killed before its line was written).
          if (last) expect(row.revision - last.revision, `round ${round}`).toBeLessThanOrEqual(1);
          if (last && row.revision === last.revision) expect(row.notes).toBe(last.notes);
        }
        // Each edit and its signed event were one transaction: as many of one as of the other.
        const edits = (db.prepare("SELECT count(*) AS n FROM finding_change WHERE field = 'notes' AND actor_name = 'Alice'").get() as { n: number }).n;
        const events = (db.prepare("SELECT count(*) AS n FROM audit_event WHERE action = 'finding.edit'").get() as { n: number }).n;
        expect(events, `round ${round}`).toBe(edits);
        expect(edits).toBeGreaterThanOrEqual(acknowledged);
      } finally {
        db.close();
      }
      const ws = openWorkspace(file);
      try {
        expect(verifyTrail(ws), `round ${round}`).toMatchObject({ ok: true });
      } finally {
        ws.close();
      }
    }
    // The kills fell inside bursts that were under way.
    expect(acknowledged).toBeGreaterThan(ROUNDS);
  }, 90_000);
});
