/**
 * Every security setting of the Electron shell in one module, so a test can read them back and a reviewer finds
 * them in one place. Type-only imports from Electron: this file also runs in plain Node (tests, the bridge's CSP).
 *
 * The renderer is treated as untrusted: it renders text that came from customers' hosts. It gets no Node, runs
 * sandboxed and isolated, reaches main only through the preload's one-function-per-method API, may not navigate,
 * open windows or obtain any permission, and loads only our own files from app://foureyes.
 */
import type { CustomScheme, WebPreferences } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'foureyes';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** app:// is registered before `ready`: standard (relative URLs, storage), secure (a secure context), fetch. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: {
    standard: true,
    secure: true,
    supportFetchAPI: true,
    codeCache: true,
    bypassCSP: false,
    corsEnabled: false,
    allowServiceWorkers: false,
    stream: false,
  },
};

/** webPreferences of every window. `preload` is the bundled CommonJS preload (sandboxed preloads cannot be ESM). */
export function webPreferences(preload: string, opts: { devTools: boolean }): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: opts.devTools,
  };
}

/**
 * The Content Security Policy, as a directive map. Recharts and React set styles through the CSSOM (element.style),
 * which CSP does not restrict, so style-src needs no 'unsafe-inline'. Browser mode adds its own ws:// origin to
 * connect-src for the events socket; the Electron window talks over IPC and connects nowhere.
 */
export function cspDirectives(
  mode: { kind: 'electron' } | { kind: 'browser'; wsOrigins: string[] },
): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': mode.kind === 'browser' ? ["'self'", ...mode.wsOrigins] : ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'frame-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'none'"],
    'worker-src': ["'none'"],
  };
}

export function contentSecurityPolicy(mode: Parameters<typeof cspDirectives>[0]): string {
  return Object.entries(cspDirectives(mode))
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

/** Headers on every response of our own content (app:// and the bridge). */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/** True for URLs of our own content: app://foureyes/... (WHATWG gives custom schemes an opaque origin: compare parts). */
export function isAppUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
}

/** The frame an IPC call came from must be the top frame of a window showing our own content. */
export function isTrustedSender(frame: { url: string; parent: unknown } | null | undefined): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url);
}

/** will-navigate / will-redirect: only within our own content (a reload of app://foureyes); nothing else. */
export function isNavigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

/** window.open and target=_blank: always denied. */
export const WINDOW_OPEN_RESPONSE = { action: 'deny' } as const;

/** Permission requests and checks (camera, notifications, clipboard, geolocation, ...): always denied. */
export function isPermissionGranted(_permission: string): boolean {
  return false;
}

/** Window options besides webPreferences. */
export const WINDOW_OPTIONS = {
  width: 1400,
  height: 900,
  minWidth: 900,
  minHeight: 600,
  show: false,
  title: 'Foureyes',
  backgroundColor: '#1e1f22',
} as const;

/**
 * The hidden window that prints a report to PDF (print-pdf.ts): no script at all, sandboxed, isolated, no preload,
 * in a session of its own kept in memory, which loads the one report file and nothing else (isPrintRequestAllowed).
 */
export const PRINT_PARTITION = 'foureyes-print';
export function printWebPreferences(): WebPreferences {
  return {
    javascript: false,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    webgl: false,
    plugins: false,
    devTools: false,
    partition: PRINT_PARTITION,
  };
}

/** A request of the print window: the report file itself, or data: (its fonts); nothing else. */
export function isPrintRequestAllowed(url: string, reportUrl: string): boolean {
  return url === reportUrl || url.startsWith('data:');
}
