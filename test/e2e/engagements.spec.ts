import { test, expect } from './fixtures.js';
import { EngagementsPage } from './pages/EngagementsPage.js';

test('a newcomer finds the ready local engagement; engagements are created, opened and archived', async ({
  app,
  shot,
}) => {
  const eng = new EngagementsPage(app);
  await expect(eng.screen).toBeVisible();
  await expect(eng.row('This machine')).toHaveCount(1);
  await shot('engagements');
  // Other spec files share this backend: count relative to what is there.
  const before = await eng.rows.count();

  await eng.create('ACME 2026 Q4', 'ACME Corp', 'Linux estate, AAA and hardening');
  await expect(app.getByTestId('nav-engagement-name')).toHaveText('ACME 2026 Q4');
  await eng.goto();
  await expect(eng.rows).toHaveCount(before + 1);
  await expect(eng.row('ACME 2026 Q4')).toContainText('ACME Corp');

  await eng.archive('ACME 2026 Q4');
  await expect(eng.rows).toHaveCount(before);
  await expect(eng.row('ACME 2026 Q4')).toHaveCount(0);
  await app.getByTestId('engagements-show-archived').check();
  await expect(eng.row('ACME 2026 Q4')).toContainText('archived');
});

test('the address bar loses the launch token; a reload keeps the session and the route', async ({
  app,
  backend,
}) => {
  expect(app.url()).not.toContain(backend.token);
  const eng = new EngagementsPage(app);
  await eng.open('This machine');
  const at = app.url();
  expect(at).toContain('#/hosts/');
  await app.reload();
  await expect(app.getByTestId('screen-hosts')).toBeVisible();
  expect(app.url()).toBe(at);
});

test('keyboard only: create an engagement, open it and move between screens', async ({ app }) => {
  /** Press Tab until the element with this test id has the focus (at most 40 presses). */
  const tabTo = async (testId: string): Promise<void> => {
    for (let i = 0; i < 40; i++) {
      await app.keyboard.press('Tab');
      const focused = await app.evaluate(
        () =>
          (
            globalThis as unknown as {
              document: { activeElement: { getAttribute(a: string): string | null } | null };
            }
          ).document.activeElement?.getAttribute('data-testid') ?? null,
      );
      if (focused === testId) return;
    }
    throw new Error(`${testId} cannot be reached with Tab`);
  };
  await tabTo('engagement-name');
  await app.keyboard.type('Keyboard engagement');
  await tabTo('engagement-create');
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('screen-hosts')).toBeVisible();
  await expect(app.getByTestId('nav-engagement-name')).toHaveText('Keyboard engagement');
  for (const screen of ['scan', 'results', 'dashboard', 'hosts']) {
    await tabTo(`nav-${screen}`);
    await app.keyboard.press('Enter');
    await expect(app.getByTestId(`screen-${screen}`)).toBeVisible();
  }
});
