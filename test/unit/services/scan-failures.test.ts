/**
 * A scan with a failing host, through the real services and API dispatch: the local host is assessed, a host on a
 * closed port of 127.0.0.1 fails while connecting. The scan ends `done`, and its state says how many hosts failed
 * and why (scan.get, scan.list, dashboard.summary); the local run says what the machine is.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodOutput } from '../../../shared/api/contract.js';
import { scanOutcome } from '../../../shared/model/scan-outcome.js';
import type { Services } from '../../../main/api/services.js';
import type { Dispatch } from '../../../main/api/registry.js';
import { closedPort } from '../ssh/sshd-fixture.js';
import { callDispatch, scanFinished, startDispatch, type EmittedEvent } from './dispatch.js';

let dir: string;
let services: Services;
let d: Dispatch;
const events: EmittedEvent[] = [];
let scanId: string;
let engagementId: string;
let downId: string;
let localId: string;
let port: number;

const call = <T>(method: string, input: unknown): Promise<T> => callDispatch<T>(d, method, input, 'http');

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'fe-scan-failures-'));
  ({ services, dispatch: d } = await startDispatch({
    workspacePath: path.join(dir, 'ws.sqlite'),
    emit: (event, payload) => events.push({ event, payload }),
    mode: 'browser',
    secrets: { cipher: null, decision: { persistent: false, detail: 'test' } },
  }));
  const { engagements } = await call<MethodOutput<'engagement.list'>>('engagement.list', {});
  engagementId = engagements[0]!.id;
  const { hosts } = await call<MethodOutput<'host.list'>>('host.list', { engagementId });
  localId = hosts[0]!.id;
  port = await closedPort();
  const down = await call<MethodOutput<'host.add'>>('host.add', {
    engagementId,
    host: { name: 'down', address: '127.0.0.1', port, user: 'auditor', auth: { type: 'password' } },
  });
  downId = down.id;
  ({ scanId } = await call<{ scanId: string }>('scan.start', {
    engagementId,
    hostIds: [localId, downId],
    selection: { checkIds: ['sshd-permit-root-login'] },
    credentials: [{ hostId: downId, purpose: 'login', secret: 'not used' }],
  }));
  await scanFinished(events, scanId);
}, 90_000);
afterAll(async () => {
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a scan with a failing host', () => {
  it('scan.get: done, with runs per state and the failure with its reason and the state it failed in', async () => {
    const got = await call<MethodOutput<'scan.get'>>('scan.get', { scanId });
    expect(got.scan.state).toBe('done');
    expect(got.scan.hostStates).toMatchObject({
      done: 1,
      failed: 1,
      cancelled: 0,
      interrupted: 0,
      queued: 0,
    });
    expect(got.scan.failures).toEqual([
      {
        hostRunId: got.hostRuns[1]!.id,
        hostName: 'down',
        stoppedIn: 'connecting',
        error: { code: 'connect_refused', message: expect.stringContaining(`127.0.0.1:${port}`) },
      },
    ]);
    expect(got.hostRuns[1]).toMatchObject({
      state: 'failed',
      stoppedIn: 'connecting',
      source: 'ssh',
      identity: null,
    });
    expect(scanOutcome(got.scan.state, got.scan.hostStates)).toMatchObject({
      tone: 'partial',
      text: 'done, 1 of 2 hosts failed',
    });
  });

  it('scan.list carries the same states and failures', async () => {
    const list = await call<MethodOutput<'scan.list'>>('scan.list', { engagementId });
    const got = await call<MethodOutput<'scan.get'>>('scan.get', { scanId });
    const item = list.items.find((s) => s.id === scanId)!;
    expect(item.hostStates).toEqual(got.scan.hostStates);
    expect(item.failures).toEqual(got.scan.failures);
  });

  it('dashboard.summary names the failed host with its reason', async () => {
    const dash = await call<MethodOutput<'dashboard.summary'>>('dashboard.summary', { engagementId });
    expect(dash.scanId).toBe(scanId);
    const down = dash.hosts.find((h) => h.hostId === downId)!;
    expect(down).toMatchObject({ state: 'failed', stoppedIn: 'connecting', score: null });
    expect(down.error).toMatchObject({ code: 'connect_refused' });
  });

  it('the local run says what the machine is: hostname, OS release and kernel, no SSH greeting', async () => {
    const got = await call<MethodOutput<'scan.get'>>('scan.get', { scanId });
    const local = got.hostRuns[0]!;
    expect(local).toMatchObject({ state: 'done', source: 'local', stoppedIn: null });
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
    expect(local.identity).toEqual({
      hostname: hostname(),
      kernel: execFileSync('uname', ['-srm'], { encoding: 'utf8' }).trim(),
      ...(pretty ? { osRelease: pretty } : {}),
    });
  });
});
