/** Dashboard over a scan's results. Needs scans, which this build cannot run yet. */
import type { DashboardService } from '../api/services.js';
import type { Workspace } from '../store/db.js';
import { notAvailable } from './errors.js';

export function dashboardService(_ws: Workspace): DashboardService {
  return { summary: () => notAvailable('the dashboard') };
}
