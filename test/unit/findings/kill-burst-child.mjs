// A burst of finding edits through the real findings service (the compiled build in dist/) on a real workspace
// file, as the person named in FE_PERSON: after each edit has committed, one line `ack <finding> <revision> <notes>`
// on stdout. Run by kill-burst.test.ts, which kills this process with SIGKILL somewhere in the burst.
import process from 'node:process';
import { recordAudit } from '../../../dist/main/audit/trail.js';
import { unlock } from '../../../dist/main/people/people.js';
import { publicKeyOf } from '../../../dist/main/people/public-keys.js';
import { findingApiService } from '../../../dist/main/services/findings.js';
import { openWorkspace } from '../../../dist/main/store/db.js';

const [file, round] = process.argv.slice(2);
const ws = openWorkspace(file);
const acting = unlock(ws, process.env.FE_PERSON, process.env.FE_PASSPHRASE);
const findings = findingApiService(ws, { recordAudit: recordAudit(ws), publicKeyOf: publicKeyOf(ws) });
const ids = process.env.FE_FINDINGS.split(',');
process.stdout.write('ready\n');
for (let i = 0; i < 100_000; i++) {
  const findingId = ids[i % ids.length];
  const notes = `burst ${round} edit ${i}`;
  const { revision } = ws.findings.require(findingId);
  const f = findings.edit({ findingId, changes: { notes }, expectedRevision: revision }, acting);
  process.stdout.write(`ack ${findingId} ${f.revision} ${notes}\n`);
}
