/** A Host as the API returns it for the renderer's scan models: a key-auth host with `over` applied. */
import type { Host } from '../../../shared/api/schemas/workspace.js';

export const host = (over: Partial<Host>): Host => ({
  id: 'h1',
  engagementId: 'e1',
  name: 'web01',
  address: '10.0.0.1',
  port: 22,
  user: 'auditor',
  auth: { type: 'key', keyPath: '/k' },
  jumpHostId: null,
  privilege: 'auto',
  tags: [],
  notes: null,
  pinnedFingerprint: null,
  createdAt: '',
  updatedAt: '',
  ...over,
});
