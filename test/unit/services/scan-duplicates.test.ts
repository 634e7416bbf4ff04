/** scan.start with one host twice, through the real services: refused naming the host, nothing stored. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MethodOutput } from '../../../shared/api/contract.js';
import type { Reply } from '../../../shared/api/reply.js';
import type { Services } from '../../../main/api/services.js';
import type { Dispatch } from '../../../main/api/registry.js';
import { callDispatch, startDispatch } from './dispatch.js';

let dir: string;
let services: Services;
let d: Dispatch;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'fe-scan-dup-'));
  ({ services, dispatch: d } = await startDispatch({
    workspacePath: path.join(dir, 'ws.sqlite'),
    emit: () => undefined,
    mode: 'browser',
    secrets: { cipher: null, decision: { persistent: false, detail: 'test' } },
  }));
});
afterAll(async () => {
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('scan.start with one host id twice is refused before any scan is stored', async () => {
  const call = <T>(method: string, input: unknown) => callDispatch<T>(d, method, input, 'http');
  const { engagements } = await call<MethodOutput<'engagement.list'>>('engagement.list', {});
  const engagementId = engagements[0]!.id;
  const { hosts } = await call<MethodOutput<'host.list'>>('host.list', { engagementId });
  const local = hosts[0]!;
  const r = (await d(
    'scan.start',
    { engagementId, hostIds: [local.id, local.id], selection: { checkIds: ['sshd-permit-root-login'] } },
    { transport: 'http' },
  )) as Reply<unknown>;
  expect(r).toMatchObject({
    ok: false,
    error: { code: 'bad_input', message: `host ${local.name} is listed twice; nothing was scanned` },
  });
  const list = await call<MethodOutput<'scan.list'>>('scan.list', { engagementId, paging: { offset: 0, limit: 50 } });
  expect(list.total).toBe(0);
});
