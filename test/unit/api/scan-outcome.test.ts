/** The words and tone of a scan's state, shared by the UI and the CLI. */
import { describe, expect, it } from 'vitest';
import { scanOutcome } from '../../../shared/model/scan-outcome.js';
import { zeroHostRunCounts, type HostRunState } from '../../../shared/model/workspace.js';

const runs = (c: Partial<Record<HostRunState, number>>) => ({ ...zeroHostRunCounts(), ...c });

describe('scanOutcome', () => {
  it('a done scan whose only host failed is not a plain done', () => {
    expect(scanOutcome('done', runs({ failed: 1 }))).toEqual({
      tone: 'failed',
      text: 'done, 1 of 1 host failed',
      total: 1,
      failed: 1,
    });
  });

  it('names failures, cancelled and interrupted hosts; a clean scan is ok', () => {
    expect(scanOutcome('done', runs({ done: 3 }))).toMatchObject({ tone: 'ok', text: 'done' });
    expect(scanOutcome('done', runs({ done: 2, failed: 1 }))).toMatchObject({
      tone: 'partial',
      text: 'done, 1 of 3 hosts failed',
    });
    expect(scanOutcome('cancelled', runs({ done: 1, cancelled: 2 }))).toMatchObject({
      tone: 'partial',
      text: 'cancelled, 1 of 3 hosts done, 2 cancelled',
    });
    expect(scanOutcome('cancelled', runs({ failed: 1, cancelled: 1 }))).toMatchObject({
      tone: 'failed',
      text: 'cancelled, 1 of 2 hosts failed, 1 cancelled',
    });
    expect(scanOutcome('interrupted', runs({ done: 1, interrupted: 1 }))).toMatchObject({
      tone: 'partial',
      text: 'interrupted, 1 of 2 hosts done, 1 interrupted',
    });
    expect(scanOutcome('cancelled', runs({ cancelled: 1 }))).toMatchObject({ tone: 'partial' });
  });

  it('a running scan says failures as they come', () => {
    expect(scanOutcome('running', runs({ connecting: 2 }))).toMatchObject({ tone: 'running', text: 'running' });
    expect(scanOutcome('running', runs({ connecting: 1, failed: 1 }))).toMatchObject({
      tone: 'partial',
      text: 'running, 1 of 2 hosts failed',
    });
  });
});
