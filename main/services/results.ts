/** Results of a scan. Querying needs scans, which this build cannot run yet. */
import type { ResultService } from '../api/services.js';
import type { Workspace } from '../store/db.js';
import { notAvailable } from './errors.js';

export function resultService(_ws: Workspace): ResultService {
  return {
    query: () => notAvailable('results query'),
    checkDetail: () => notAvailable('check detail'),
  };
}
