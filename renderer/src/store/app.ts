/** Application-wide state: what is running, where the user is, and the notices shown to them. */
import type { AppInfo } from '../../../shared/api/contract.js';
import { api } from '../api/client.js';
import { messageOf, value } from '../api/call.js';
import type { SliceCreator } from './types.js';

export const SCREENS = ['engagements', 'review', 'audit', 'hosts', 'scan', 'results', 'dashboard', 'access', 'questions', 'findings', 'waivers', 'handover'] as const;
export type Screen = (typeof SCREENS)[number];

/** Screens of the whole workspace; every other screen belongs to an engagement. */
export const WORKSPACE_SCREENS: readonly Screen[] = ['engagements', 'review', 'audit'];

export interface Route {
  screen: Screen;
  /** The engagement open; every screen but the engagement list needs one. */
  engagementId: string | null;
  /** The scan shown on the results and scan screens. */
  scanId: string | null;
}

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  /** Where it happened ("Import hosts", "Start scan"), shown before the message. */
  where: string;
  message: string;
}

export interface AppSlice {
  info: AppInfo | null;
  route: Route;
  notices: Notice[];
  /** Load app info and restore the route from the address (#/...). */
  boot(): Promise<void>;
  navigate(to: Partial<Route>): void;
  notify(kind: Notice['kind'], where: string, err: unknown): void;
  dismiss(id: number): void;
}

const HOME: Route = { screen: 'engagements', engagementId: null, scanId: null };

/** `#/<screen>[/<engagementId>[/<scanId>]]` <-> Route. Unknown or malformed hashes lead home. */
export function routeFromHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const [screen, engagementId, scanId] = parts;
  const id = (s: string | undefined): string | null => (s !== undefined && /^[A-Za-z0-9_-]{1,64}$/.test(s) ? s : null);
  if (!SCREENS.includes(screen as Screen)) return HOME;
  const route: Route = { screen: screen as Screen, engagementId: id(engagementId), scanId: id(scanId) };
  return !WORKSPACE_SCREENS.includes(route.screen) && route.engagementId === null ? HOME : route;
}

export function hashFromRoute(r: Route): string {
  return '#/' + [r.screen, r.engagementId, r.scanId].filter((p): p is string => p !== null).join('/');
}

let noticeSeq = 0;

export const createAppSlice: SliceCreator<AppSlice> = (set, get) => ({
  info: null,
  route: HOME,
  notices: [],
  boot: async () => {
    set({ route: routeFromHash(window.location.hash) });
    try {
      set({ info: await value(api().app.info()) });
    } catch (e) {
      get().notify('error', 'Start-up', e);
    }
  },
  navigate: (to) => {
    const cur = get().route;
    const next: Route = { ...cur, ...to };
    // Leaving an engagement drops the scan that belonged to it.
    if (to.engagementId !== undefined && to.engagementId !== cur.engagementId && to.scanId === undefined) next.scanId = null;
    set({ route: next });
    const hash = hashFromRoute(next);
    if (window.location.hash !== hash) window.history.pushState(null, '', hash);
  },
  notify: (kind, where, err) => {
    const notice: Notice = { id: ++noticeSeq, kind, where, message: typeof err === 'string' ? err : messageOf(err) };
    set({ notices: [...get().notices.slice(-4), notice] });
  },
  dismiss: (id) => set({ notices: get().notices.filter((n) => n.id !== id) }),
});
