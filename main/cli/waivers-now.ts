/** The waivers that apply now, as the CLI's scan report reads them (the workspace's keys, the real clock). */
import { publicKeyOf } from '../people/public-keys.js';
import type { Workspace } from '../store/db.js';
import { waiverOverlay, type WaiverOverlay } from '../waivers/overlay.js';

export const waiversNow = (ws: Workspace): WaiverOverlay => waiverOverlay(ws, publicKeyOf(ws));
