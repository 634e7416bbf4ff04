/**
 * What a scan's state says in words, from its own state and its host runs per state: the one wording of the UI
 * (Scan screen, History, Results, Dashboard) and the CLI. A scan is `done` when every host run ended, whatever each
 * run's outcome; the words and the tone say how many failed, so a scan whose only host failed never reads as a
 * plain, green "done".
 */
import type { HostRunState } from './workspace.js';

/**
 * ok: every host done; running; partial: some hosts failed, were cancelled or interrupted (or the scan was);
 * failed: hosts failed and none was done.
 */
export type ScanTone = 'ok' | 'running' | 'partial' | 'failed';

export interface ScanOutcome {
  tone: ScanTone;
  /** "done", "done, 1 of 1 host failed", "cancelled, 1 of 3 hosts done, 2 cancelled". */
  text: string;
  total: number;
  failed: number;
}

const hosts = (n: number): string => (n === 1 ? 'host' : 'hosts');

export function scanOutcome(state: string, byState: Readonly<Record<HostRunState, number>>): ScanOutcome {
  const total = Object.values(byState).reduce((a, b) => a + b, 0);
  const { done, failed, cancelled, interrupted } = byState;
  const parts: string[] = [];
  if (failed > 0) parts.push(`${failed} of ${total} ${hosts(total)} failed`);
  const notDone = failed + cancelled + interrupted;
  if (state !== 'running' && done < total && (cancelled > 0 || interrupted > 0)) {
    if (failed === 0) parts.push(`${done} of ${total} ${hosts(total)} done`);
    if (cancelled > 0) parts.push(`${cancelled} cancelled`);
    if (interrupted > 0) parts.push(`${interrupted} interrupted`);
  }
  const text = parts.length > 0 ? `${state}, ${parts.join(', ')}` : state;
  const tone: ScanTone =
    state === 'running'
      ? failed > 0
        ? 'partial'
        : 'running'
      : state === 'failed' || (failed > 0 && done === 0)
        ? 'failed'
        : notDone > 0 || state !== 'done'
          ? 'partial'
          : 'ok';
  return { tone, text, total, failed };
}
