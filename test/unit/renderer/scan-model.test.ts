import { describe, expect, it } from 'vitest';
import type { CheckSummary } from '../../../shared/api/schemas/catalogue.js';
import type { HostRunView } from '../../../shared/api/schemas/scans.js';
import { loadCatalogue } from '../../../main/catalogue/load.js';
import { selectChecks } from '../../../main/services/scan-jobs.js';
import {
  elapsedMs,
  formatElapsed,
  mergeHostRuns,
  mergeProgress,
  progressOf,
  stoppedStep,
} from '../../../renderer/src/screens/scan/liveModel.js';
import {
  askedHosts,
  credentialNeed,
  credentialsFor,
  selectedChecks,
  selectionInput,
} from '../../../renderer/src/screens/scan/setupModel.js';
import { host } from './host-fixture.js';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseProfile } from '../../../main/catalogue/profiles.js';
import { profileSummaries } from '../../../main/services/catalogue.js';

const run = (id: string, state: HostRunView['state']): HostRunView => ({
  id,
  scanId: 's1',
  hostId: 'h1',
  hostName: id,
  state,
  startedAt: null,
  finishedAt: null,
  error: null,
  stoppedIn: null,
  source: 'ssh',
  identity: null,
  privilege: null,
  counts: { pass: 0, fail: 0, not_applicable: 0, error: 0, manual: 0 },
  score: null,
});

describe('secrets asked at scan start', () => {
  it('asks only what the host can use', () => {
    expect(credentialNeed(host({ auth: { type: 'password' }, privilege: 'none' }))).toEqual({
      login: 'password',
      sudo: false,
    });
    expect(credentialNeed(host({ privilege: 'sudo' }))).toEqual({ login: 'passphrase', sudo: true });
    // auto never types a password to sudo (main/ssh/sudo-attempt.ts), so none is asked for.
    expect(credentialNeed(host({ privilege: 'auto' }))).toEqual({ login: 'passphrase', sudo: false });
    expect(credentialNeed(host({ auth: { type: 'agent' }, privilege: 'none' }))).toEqual({
      login: null,
      sudo: false,
    });
    expect(credentialNeed(host({ address: '127.0.0.1', tags: ['local'], privilege: 'auto' }))).toEqual({
      login: null,
      sudo: false,
    });
  });

  it('sends typed secrets of chosen hosts only', () => {
    const a = host({ id: 'a', auth: { type: 'password' }, privilege: 'none' });
    const b = host({ id: 'b', privilege: 'sudo' });
    const c = host({ id: 'c' });
    const secrets = { a: { login: 'pw', sudo: 'ignored' }, b: { login: '', sudo: 's' }, c: { login: 'x' } };
    expect(credentialsFor([a, b, c], new Set(['a', 'b']), secrets)).toEqual([
      { hostId: 'a', purpose: 'login', secret: 'pw' },
      { hostId: 'b', purpose: 'sudo', secret: 's' },
    ]);
  });
});

describe('jump hosts log in too', () => {
  it('asks the login secret of every hop of a chosen host, never its sudo password', () => {
    const outer = host({ id: 'outer', name: 'outer', privilege: 'sudo' });
    const mid = host({ id: 'mid', name: 'mid', jumpHostId: 'outer', auth: { type: 'password' } });
    const target = host({
      id: 't',
      name: 't',
      jumpHostId: 'mid',
      auth: { type: 'agent' },
      privilege: 'none',
    });
    const agentHop = host({ id: 'a', name: 'a', auth: { type: 'agent' } });
    const all = [outer, mid, target, agentHop];
    expect(askedHosts(all, new Set(['t'])).map((a) => [a.host.id, a.need, a.jumpOnly])).toEqual([
      ['outer', { login: 'passphrase', sudo: false }, true],
      ['mid', { login: 'password', sudo: false }, true],
    ]);
    const secrets = { outer: { login: 'pp', sudo: 'never sent' }, mid: { login: 'pw' } };
    expect(credentialsFor(all, new Set(['t']), secrets)).toEqual([
      { hostId: 'outer', purpose: 'login', secret: 'pp' },
      { hostId: 'mid', purpose: 'login', secret: 'pw' },
    ]);
    // Chosen itself, a jump host is asked for everything it uses.
    expect(askedHosts(all, new Set(['t', 'outer']))[0]).toMatchObject({
      jumpOnly: false,
      need: { sudo: true },
    });
  });

  it('survives a jump loop', () => {
    const a = host({ id: 'a', jumpHostId: 'b' });
    const b = host({ id: 'b', jumpHostId: 'a' });
    expect(askedHosts([a, b], new Set(['a'])).map((x) => x.host.id)).toEqual(['a', 'b']);
  });
});

describe('check selection', () => {
  const catalogue = loadCatalogue();
  const checks: CheckSummary[] = catalogue.checks.map((c) => ({
    id: c.id,
    title: c.title,
    family: c.family,
    area: c.area,
    severity: c.severity,
    platforms: [],
    references: {},
  }));

  it('counts what the scan will run (the same rule as main; none counted: main refuses too)', () => {
    const drafts = [
      { families: ['aaa', 'hardening'] as const, minSeverity: 'info' as const },
      { families: ['aaa'] as const, minSeverity: 'medium' as const },
      { families: ['hardening'] as const, minSeverity: 'high' as const },
      { families: ['hardening'] as const, minSeverity: 'critical' as const },
    ];
    for (const draft of drafts) {
      const counted = selectedChecks(checks, draft).map((c) => c.id);
      const run = () => selectChecks(catalogue.checks, selectionInput(checks, draft)).map((c) => c.id);
      if (counted.length === 0) expect(run).toThrow(/matches no check/);
      else expect(counted).toEqual(run());
    }
  });

  it('a profile counts what main runs for it: its checks (less those it disables) with the other filters', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fe-ui-prof-'));
    mkdirSync(join(dir, 'foureyes', 'profiles'), { recursive: true });
    const ids = catalogue.checks.slice(0, 12).map((c) => c.id);
    writeFileSync(
      join(dir, 'foureyes', 'profiles', 'site.yaml'),
      `id: site\ntitle: Site\nchecks:\n${ids.map((id) => `  - { check: ${id} }`).join('\n')}\ndisable:\n  - { check: ${ids[0]}, reason: not here }\n`,
    );
    const env = { HOME: dir, XDG_DATA_HOME: dir };
    const site = profileSummaries(catalogue, env).find((p) => p.id === 'site')!;
    expect(site).toMatchObject({ problem: null, disabled: [{ check: ids[0], reason: 'not here' }] });
    expect(site.checkIds).toEqual(ids.slice(1));
    const draft = { families: ['aaa', 'hardening'] as const, minSeverity: 'medium' as const, profile: 'site', profileChecks: new Map([['site', site.checkIds]]) };
    const counted = selectedChecks(checks, draft).map((c) => c.id);
    const input = selectionInput(checks, draft);
    expect(input.profile).toBe('site');
    const { profile: _p, ...filters } = input;
    const run = selectChecks(chooseProfile('site', catalogue, env, { idOnly: true }).checks, filters).map((c) => c.id);
    expect(counted).toEqual(run);
  });

  it('leaves out filters that select everything', () => {
    expect(selectionInput(checks, { families: ['aaa', 'hardening'], minSeverity: 'info' })).toEqual({});
    expect(selectionInput(checks, { families: ['aaa'], minSeverity: 'high' })).toEqual({
      families: ['aaa'],
      minSeverity: 'high',
    });
  });
});

describe('live progress', () => {
  const ev = (hostRunId: string, state: HostRunView['state']) => ({
    scanId: 's1',
    hostRunId,
    hostId: 'h1',
    host: hostRunId,
    state,
  });

  it('applies an event, never steps a run back, and flags an unknown run', () => {
    const runs = [run('r1', 'queued'), run('r2', 'queued')];
    const a = mergeProgress(runs, ev('r1', 'collecting'))!;
    expect(a.map((r) => r.state)).toEqual(['collecting', 'queued']);
    expect(mergeProgress(a, ev('r1', 'connecting'))!.map((r) => r.state)).toEqual(['collecting', 'queued']);
    const done = mergeProgress(a, ev('r1', 'done'))!;
    expect(mergeProgress(done, ev('r1', 'cancelled'))![0]!.state).toBe('done');
    expect(mergeProgress(runs, ev('r9', 'done'))).toBeNull();
  });

  it('a failed run shows the step it stopped in: stored with the run, else the last step events showed', () => {
    const a = mergeProgress([run('r1', 'collecting')], ev('r1', 'failed'))!;
    expect(a[0]).toMatchObject({ state: 'failed', stoppedIn: 'collecting' });
    expect(stoppedStep(a[0]!)).toBe('collecting');
    expect(stoppedStep({ state: 'failed', stoppedIn: null }, 'connecting')).toBe('connecting');
    expect(stoppedStep({ state: 'failed', stoppedIn: 'evaluating' }, 'connecting')).toBe('evaluating');
    expect(stoppedStep({ state: 'done', stoppedIn: null }, 'evaluating')).toBeNull();
    expect(stoppedStep({ state: 'collecting', stoppedIn: null })).toBeNull();
    // A re-read that has not seen the failure yet keeps what the event showed.
    expect(mergeHostRuns(a, [run('r1', 'collecting')])[0]).toMatchObject({
      state: 'failed',
      stoppedIn: 'collecting',
    });
  });

  it('a re-read keeps what events already showed further along', () => {
    const merged = mergeHostRuns(
      [run('r1', 'done'), run('r2', 'connecting')],
      [run('r1', 'evaluating'), run('r2', 'collecting')],
    );
    expect(merged.map((r) => r.state)).toEqual(['done', 'collecting']);
  });

  it('progress and elapsed time', () => {
    expect(progressOf('queued')).toBe(0);
    expect(progressOf('collecting')).toBe(0.5);
    expect(progressOf('done')).toBe(1);
    expect(progressOf('failed', 'connecting')).toBe(0.25);
    // Where it stopped is not known: an empty bar, never a full one as if every step had run.
    expect(progressOf('failed')).toBe(0);
    expect(progressOf('interrupted', null)).toBe(0);
    expect(elapsedMs('2026-01-01T00:00:00.000Z', '2026-01-01T00:01:05.000Z')).toBe(65_000);
    expect(elapsedMs(null, null, 1000, undefined, 4500)).toBe(3500);
    expect(elapsedMs(null, null)).toBeNull();
    expect(formatElapsed(4200)).toBe('4.2 s');
    expect(formatElapsed(65_000)).toBe('1 min 05 s');
    expect(formatElapsed(7_380_000)).toBe('2 h 03 min');
  });
});
