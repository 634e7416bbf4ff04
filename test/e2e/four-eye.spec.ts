/**
 * The four-eye review through the UI, on a real scan of the lab's careless host: Alice signs in, annotates findings
 * (Markdown notes, a severity override with its reason, owner, tags, an attachment) and submits them in bulk; her
 * own approval is refused with the server's sentence; Bob signs in and approves them in the dialog that shows what
 * he signs; Alice edits one and its approval is voided; it is back in Bob's queue; the finding's history and the
 * audit trail show all of it, and the trail verifies. Also: a stale editor is refused and read again, and a note of
 * hostile HTML and terminal escapes renders inert.
 */
import { ensureLab, labAvailable, labHost, type LabManifest } from '../lab/lab.js';
import { call } from './api.js';
import type { Backend } from './backend.js';
import { test, expect } from './fixtures.js';
import { EngagementsPage } from './pages/EngagementsPage.js';
import { AuditPage, FindingsPage, People, ReviewPage, type PersonData } from './pages/FourEyePage.js';

test.skip(!labAvailable(), 'needs the test lab (root, network namespaces)');
test.describe.configure({ mode: 'serial' });

const ALICE: PersonData = { name: 'Alice Auditor', role: 'consultant', email: 'alice@example.org', passphrase: 'alice-passphrase-1' };
const BOB: PersonData = { name: 'Bob Reviewer', role: 'reviewer', email: 'bob@example.org', passphrase: 'bob-passphrase-22' };
const ENGAGEMENT = 'Four-eye review of careless';
/** Findings the lab's careless host certainly has (test/lab/truth/: fail on careless). */
const F1 = 'sshd-permit-root-login';

let lab: LabManifest;
test.beforeAll(async () => {
  test.setTimeout(600_000);
  lab = await ensureLab();
});

/** An engagement with careless, its host key accepted and one finished scan (through the API: not what is tested). */
async function scannedEngagement(backend: Backend): Promise<string> {
  const known = (await call(backend, 'engagement.list', {})).engagements.find((e) => e.name === ENGAGEMENT);
  if (known) return known.id;
  const careless = labHost(lab, 'careless');
  const eng = await call(backend, 'engagement.create', { name: ENGAGEMENT });
  const host = await call(backend, 'host.add', {
    engagementId: eng.id,
    host: {
      name: 'careless',
      address: careless.address,
      user: careless.user,
      auth: { type: 'key', keyPath: lab.keys.private },
      privilege: 'auto',
    },
  });
  await call(backend, 'hostKey.accept', {
    hostId: host.id,
    fingerprint: careless.hostKeys.find((k) => k.type === 'ssh-ed25519')!.fingerprint,
  });
  const { scanId } = await call(backend, 'scan.start', { engagementId: eng.id, hostIds: [host.id] });
  await expect
    .poll(async () => (await call(backend, 'scan.get', { scanId })).scan.state, { timeout: 150_000, intervals: [500] })
    .not.toBe('running');
  expect((await call(backend, 'scan.get', { scanId })).hostRuns.map((r) => r.state)).toEqual(['done']);
  return eng.id;
}

test('Alice annotates and submits, Bob approves, an edit voids it, history and trail show it all', async ({
  app,
  backend,
  shot,
}) => {
  test.setTimeout(300_000);
  const engagementId = await scannedEngagement(backend);
  const list = await call(backend, 'finding.list', { engagementId });
  expect(list.total).toBeGreaterThan(2);
  const f1 = list.items.find((f) => f.key === F1)!;
  expect(f1, `${F1} is a finding of careless`).toBeTruthy();
  const f2 = list.items.find((f) => f.key !== F1 && f.reviewState === 'draft')!;
  const f3 = list.items.find((f) => f.key !== F1 && f.key !== f2.key && f.reviewState === 'draft')!;

  await app.reload();
  const people = new People(app);
  // Read-only first: actions that need a person say so.
  await expect(people.switcher).toHaveAttribute('data-person', '');
  await new EngagementsPage(app).open(ENGAGEMENT);
  const findings = new FindingsPage(app);
  await findings.goto();
  await expect(app.getByTestId('finding-counts')).toHaveAttribute('data-total', String(list.total));
  await expect(app.getByTestId('finding-bulk-needs-person')).toContainText('sign in first');
  await findings.open(F1);
  await expect(findings.field('needs-person')).toContainText('needs a person');
  await expect(findings.field('save')).toBeDisabled();
  await findings.close();

  // 1. Alice: the first person of this workstation, added from the panel, signs in.
  await people.open();
  await shot('four-eye-signin');
  await people.signInOrAdd(ALICE);
  // She adds her reviewer (a signed-in person adds people), and stays herself.
  await people.open();
  if ((await people.person(BOB.name).count()) === 0) await people.add(BOB);
  await people.close();
  await expect(people.switcher).toHaveAttribute('data-person', ALICE.name);

  // 2. Filters: severity and text narrow the list; the counts follow.
  await findings.page.getByTestId(`finding-filter-severity-${f1.severity}`).check();
  await expect(findings.rows.first()).toBeVisible();
  for (const sev of await findings.rows.evaluateAll((rows) => rows.map((r) => r.querySelector('[data-severity]')?.getAttribute('data-severity'))))
    expect(sev).toBe(f1.severity);
  await findings.page.getByTestId('finding-filter-text').fill(F1);
  await expect(findings.rows).toHaveCount(1);
  await findings.page.getByTestId('finding-filter-clear').click();
  await expect(findings.rows).toHaveCount(list.total);

  // 3. The editor: Markdown notes with a live preview, a severity override (reason required), owner, tags, due date.
  await findings.open(F1);
  await expect(findings.editor.getByTestId('finding-host')).toHaveAttribute('data-host', 'careless');
  await expect(findings.editor.getByTestId('finding-host-evidence').first()).toContainText(/permitrootlogin/i);
  await findings.field('notes').fill('Root may log in over SSH on **careless**.\n\n- seen in `sshd -T`\n- reachable from the office LAN');
  await expect(findings.preview().locator('strong')).toHaveText('careless');
  await expect(findings.preview().locator('li')).toHaveCount(2);
  const override = f1.severity === 'critical' ? 'high' : 'critical';
  await findings.field('severity').selectOption(override);
  await expect(findings.field('reason')).toBeVisible();
  await findings.field('reason').fill('reachable from the whole office network');
  await findings.field('owner').fill('Ops team');
  await findings.field('tags').fill('ssh, quick-win');
  await findings.field('due').fill('2027-01-31');
  await findings.save();
  await expect(findings.editor.getByTestId('finding-reasons')).toContainText('reachable from the whole office network');
  await expect(findings.row(F1)).toContainText('Ops team');

  // Attachments: a text file is accepted (typed by content); a program named .png is refused in the server's words.
  await findings.field('attach').setInputFiles({ name: 'sshd-T.txt', mimeType: 'text/plain', buffer: Buffer.from('permitrootlogin yes\n') });
  await expect(findings.editor.getByTestId('finding-attachment')).toHaveAttribute('data-type', 'text/plain');
  await findings.field('attach').setInputFiles({
    name: 'screenshot.png',
    mimeType: 'image/png',
    buffer: Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00'), Buffer.alloc(64)]),
  });
  await expect(findings.field('attachment-error')).toContainText('screenshot.png');
  await expect(findings.editor.getByTestId('finding-attachment')).toHaveCount(1);
  const download = app.waitForEvent('download');
  await findings.editor.getByTestId('finding-attachment-download').click();
  expect((await download).suggestedFilename()).toBe('sshd-T.txt');
  await shot('four-eye-editor');

  // A stale editor: the finding changes elsewhere (here through the API) before Alice saves; refused and read again.
  await findings.open(f2.key);
  const stale = await findings.revision();
  await call(backend, 'finding.edit', { findingId: f2.id, changes: { customerOwner: 'Network team' }, expectedRevision: stale });
  await findings.field('owner').fill('Somebody else');
  await findings.field('save').click();
  await expect(findings.field('conflict')).toContainText('changed meanwhile');
  await expect(findings.editor).toHaveAttribute('data-revision', String(stale + 1));
  await expect(findings.field('owner')).toHaveValue('Network team');

  // 4. Bulk: submit f1 and f2 for review, then once more with f3: each finding reports its own outcome.
  await findings.select([F1, f2.key]);
  await findings.page.getByTestId('finding-bulk-submit').click();
  await expect(findings.outcomes()).toHaveCount(2);
  await expect(findings.outcome(f1.id)).toHaveAttribute('data-ok', 'true');
  await expect(findings.outcome(f2.id)).toHaveAttribute('data-ok', 'true');
  await expect(findings.row(F1)).toHaveAttribute('data-review', 'in_review');
  await findings.select([f3.key]);
  await expect(app.getByTestId('finding-bulk')).toHaveAttribute('data-selected', '3');
  await findings.page.getByTestId('finding-bulk-submit').click();
  await expect(findings.outcomes()).toHaveCount(3);
  await expect(findings.outcome(f3.id)).toHaveAttribute('data-ok', 'true');
  await expect(findings.outcome(f1.id)).toHaveAttribute('data-ok', 'false');
  const refusedSubmit = await findings.outcome(f1.id).textContent();
  expect(refusedSubmit).toMatch(/review/i);
  await shot('four-eye-bulk');

  // 5. Alice may not approve what she wrote: the server's four-eye sentence, in the dialog.
  await findings.open(F1);
  await findings.field('review-open').click();
  const review = new ReviewPage(app);
  await expect(review.dialog).not.toHaveAttribute('data-content-hash', '');
  await review.approve();
  await expect(review.dialog.getByTestId('approval-error')).toContainText(`${ALICE.name} cannot approve`);
  await expect(review.dialog.getByTestId('approval-error')).toContainText('four-eye');
  await shot('four-eye-own-refused');
  await review.close();

  // 6. Bob signs in: his queue holds the three; the dialog shows what he signs; he approves f1 and f2.
  await people.signIn(BOB);
  await review.goto();
  for (const f of [f1, f2, f3]) await expect(review.row(f.id)).toBeVisible();
  await review.open(f1.id);
  const got = await call(backend, 'finding.get', { findingId: f1.id });
  await expect(review.dialog).toHaveAttribute('data-content-hash', got.contentHash);
  await expect(review.dialog.getByTestId('approval-hash')).toHaveText(got.contentHash);
  await expect(review.dialog.getByTestId('approval-revision')).toHaveText(String(got.finding.revision));
  await expect(review.dialog.getByTestId('approval-host')).toHaveAttribute('data-host', 'careless');
  await expect(review.dialog.getByTestId('approval-notes').locator('strong')).toHaveText('careless');
  await shot('four-eye-approval');
  await review.approve();
  await expect(review.dialog.getByTestId('approval-done')).toContainText(`Approved revision ${got.finding.revision}`);
  await review.close();
  await expect(review.row(f1.id)).toHaveCount(0);
  await review.open(f2.id);
  await review.approve();
  await expect(review.dialog.getByTestId('approval-done')).toContainText('Approved');
  await review.close();
  // f3 goes back to Alice with a comment.
  await review.open(f3.id);
  await review.dialog.getByTestId('approval-comment').fill('Which hosts are in scope for this one?');
  await review.dialog.getByTestId('approval-reject').click();
  await expect(review.dialog.getByTestId('approval-done')).toContainText('back to draft');
  await review.close();
  await expect(review.rows).toHaveCount(0);
  const approved = await call(backend, 'finding.get', { findingId: f1.id });
  expect(approved.finding.reviewState).toBe('approved');
  expect(approved.approvals.map((a) => [a.reviewerName, a.contentHash, a.voidedAt])).toEqual([[BOB.name, got.contentHash, null]]);

  // 7. Alice edits f1 after its approval: the approval is voided, the finding is back in review.
  await people.signIn(ALICE);
  await findings.goto();
  await expect(findings.row(F1)).toHaveAttribute('data-review', 'approved');
  await findings.open(F1);
  await findings.field('due').fill('2027-02-28');
  await findings.save();
  await expect(findings.editor).toHaveAttribute('data-review', 'in_review');
  await expect(findings.approvals()).toHaveAttribute('data-voided', 'true');
  await expect(findings.editor.getByTestId('finding-approval-voided')).toBeVisible();
  await expect(findings.field('voided-note')).toContainText(`${BOB.name}’s approval of revision`);
  await expect(findings.field('voided-note')).toContainText('Back in review');
  await shot('four-eye-voided');

  // 8. It is in Bob's queue again (f2 stays approved).
  await people.signIn(BOB);
  await review.goto();
  await expect(review.rows).toHaveCount(1);
  await expect(review.row(f1.id)).toBeVisible();
  await shot('four-eye-queue-again');

  // 9. The history says who changed what, when, why, before and after.
  await findings.goto();
  await expect(findings.row(f2.key)).toHaveAttribute('data-review', 'approved');
  await findings.open(F1);
  const fields = await findings.history().evaluateAll((rows) =>
    rows.map((r) => `${r.getAttribute('data-field')}:${r.getAttribute('data-actor')}`),
  );
  expect(fields[0]).toBe('finding:');
  for (const f of ['severity', 'notes', 'customerOwner', 'tags', 'dueDate', 'attachment'])
    expect(fields.filter((x) => x.startsWith(`${f}:`)).length, `${f} in ${fields.join(' ')}`).toBeGreaterThan(0);
  expect(fields).toContain(`approval:${BOB.name}`);
  expect(fields.filter((x) => x === `dueDate:${ALICE.name}`)).toHaveLength(2);
  const severityRow = findings.history().filter({ has: app.locator('td', { hasText: /^severity$/ }) }).first();
  await expect(severityRow).toContainText('reachable from the whole office network');
  await expect(severityRow).toContainText(override);
  await findings.editor.getByTestId('finding-history').scrollIntoViewIfNeeded();
  await shot('four-eye-history');

  // 10. The audit trail holds each step, signed by who acted, and verifies.
  const audit = new AuditPage(app);
  await audit.goto();
  await expect(audit.event('finding.approve', f1.id)).toHaveAttribute('data-actor', BOB.name);
  await expect(audit.event('finding.approvals_void', f1.id)).toHaveAttribute('data-actor', ALICE.name);
  await expect(audit.event('finding.submit', f1.id)).toHaveAttribute('data-actor', ALICE.name);
  await expect(audit.event('finding.reject', f3.id)).toHaveAttribute('data-actor', BOB.name);
  await audit.verify();
  const report = await call(backend, 'audit.verify', {});
  expect(report.ok).toBe(true);
  await expect(audit.report).toHaveAttribute('data-ok', 'true');
  await expect(audit.report).toHaveAttribute('data-count', String(report.count));
  await expect(audit.report).toContainText(report.headHash);
  await expect(app.getByTestId('audit-total')).toHaveAttribute('data-total', String(report.count));
  await shot('four-eye-trail');

  await people.signOut();
});

test('a note of hostile HTML and terminal escapes renders inert', async ({ app, backend, shot }) => {
  const engagementId = await scannedEngagement(backend);
  const people = new People(app);
  await people.signInOrAdd(ALICE);
  await new EngagementsPage(app).open(ENGAGEMENT);
  const findings = new FindingsPage(app);
  await findings.goto();
  const target = (await call(backend, 'finding.list', { engagementId, filters: { reviewStates: ['draft'] } })).items[0]!;
  await findings.open(target.key);
  const hostile =
    'Look: <img src=x onerror="window.__pwned=1"> and <script>window.__pwned=2</script>\n\n' +
    'red \x1b[31mALERT\x1b[0m, title \x1b]0;owned\x07, bidi \u202eevil\n\n![x](http://198.51.100.7/beacon.png)';
  await findings.field('notes').fill(hostile);
  await findings.save();
  const preview = findings.preview();
  await expect(preview).toContainText('<img src=x onerror="window.__pwned=1">');
  await expect(preview).toContainText('<script>window.__pwned=2</script>');
  await expect(preview.locator('img, script')).toHaveCount(0);
  await expect(preview.locator('.ctl[data-escape="char"]', { hasText: '\\x1b' })).toHaveCount(3);
  await expect(preview.locator('.ctl', { hasText: '\\x07' })).toHaveCount(1);
  await expect(preview.locator('.ctl', { hasText: '\\u202e' })).toHaveCount(1);
  const text = (await preview.textContent()) ?? '';
  const raw = [...text].filter((ch) => {
    const c = ch.codePointAt(0)!;
    return (c < 0x20 && c !== 0x0a) || c === 0x7f || c === 0x202e;
  });
  expect(raw, 'control characters shown raw').toEqual([]);
  expect(await app.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  // Stored exactly as typed: the escaping is the view's.
  expect((await call(backend, 'finding.get', { findingId: target.id })).finding.notes).toBe(hostile);
  await shot('four-eye-hostile-note');
  await people.signOut();
});
