/**
 * A covering index for reading a scan's results by host run without touching the rows: verdict, severity and check
 * id are what results.query filters and sorts on, and what scan.get and dashboard.summary count per host run.
 * Counting or paging 25,000 results then reads about 2 MB of index instead of the 12 MB table; the table is read
 * only for the page's own rows and for the text filter.
 */
import type { Migration } from './types.js';

export const m0002: Migration = {
  version: 2,
  name: 'result-keys-index',
  up(db) {
    db.exec('CREATE INDEX result_by_run_keys ON result (host_run_id, verdict, severity, check_id);');
  },
};
