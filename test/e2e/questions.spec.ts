/**
 * The questions no command can answer: a reader sees them with a sign-in hint and no form; Alice, signed in,
 * answers one with a note holding markup, which shows literally with her name, and lands signed in the audit trail.
 */
import { test as shared, expect } from './fixtures.js';
import { startBackend, type Backend } from './backend.js';
import { EngagementsPage } from './pages/EngagementsPage.js';
import { alicePlusBob, call } from './api.js';

const test = shared.extend<object, { backend: Backend }>({
  backend: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const b = await startBackend();
      await use(b);
      await b.stop();
    },
    { scope: 'worker' },
  ],
});

const PASS = { alice: 'e2e-questions-alice-passphrase', bob: 'e2e-questions-bob-passphrase' };

test('answering a question signs it into the trail and shows who answered', async ({
  app,
  backend,
  shot,
}) => {
  const eng = await call(backend, 'engagement.create', { name: 'Questions' });
  const listed = await call(backend, 'attestation.list', { engagementId: eng.id });
  expect(listed.items.length).toBeGreaterThanOrEqual(8);

  // Read without a person: the questions, no answer form.
  await app.reload();
  await new EngagementsPage(app).open('Questions');
  await app.getByTestId('nav-questions').click();
  await expect(app.getByTestId('screen-questions')).toBeVisible();
  await expect(app.getByTestId('question')).toHaveCount(listed.items.length);
  await expect(app.getByTestId('questions-count')).toHaveText(`0 of ${listed.items.length} answered`);
  await expect(app.getByTestId('question-submit')).toHaveCount(0);

  await alicePlusBob(backend, PASS);
  await app.reload();
  await expect(app.getByTestId('screen-questions')).toBeVisible();
  const leavers = app.getByTestId('question').and(app.locator('[data-check="governance-leavers"]'));
  await expect(leavers).toHaveAttribute('data-outcome', 'unanswered');
  await leavers.getByTestId('question-choice').selectOption('no');
  const note = 'HR sends no <b>leaver</b> list; accounts stay';
  await leavers.getByTestId('question-note').fill(note);
  await leavers.getByTestId('question-submit').click();
  await expect(leavers).toHaveAttribute('data-outcome', 'fail');
  await expect(leavers.getByTestId('question-answer')).toContainText('Answered No by Alice');
  await expect(leavers.getByTestId('question-answer')).toContainText(note);
  await expect(app.getByTestId('questions-count')).toHaveText(`1 of ${listed.items.length} answered`);
  await shot('questions-answered');

  const page = await call(backend, 'audit.list', { paging: { offset: 0, limit: 20 } });
  const event = page.items.find(
    (e) => e.action === 'attestation.answer' && e.object.id === `${eng.id}/governance-leavers`,
  );
  expect(event?.actor.name).toBe('Alice');
  expect(event?.reason).toBe(note);
  const verified = await call(backend, 'audit.verify', {});
  expect(verified.ok).toBe(true);
});
