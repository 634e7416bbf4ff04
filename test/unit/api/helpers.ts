/** Shared bits of the API tests: a logger that keeps entries, an AppEnv, small service tables. */
import type { AppEnv } from '../../../main/api/app-env.js';
import type { ApiLogger } from '../../../main/api/log.js';

export interface LogEntry {
  level: 'error' | 'warn';
  message: string;
  fields: Record<string, unknown>;
}

export function memoryLogger(): ApiLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    error: (message, fields = {}) => entries.push({ level: 'error', message, fields }),
    warn: (message, fields = {}) => entries.push({ level: 'warn', message, fields }),
  };
}

export const TEST_APP: AppEnv = {
  name: 'Foureyes',
  version: '9.9.9',
  mode: 'browser',
  workspacePath: '/tmp/ws.sqlite',
  platform: 'linux',
  secretStorage: { persistent: false, detail: 'test' },
};

export const engagement = (id: string, name: string) => ({
  id,
  name,
  customer: null,
  description: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  archivedAt: null,
});
