import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_SCHEME_PRIVILEGES,
  WINDOW_OPEN_RESPONSE,
  PRINT_PARTITION,
  contentSecurityPolicy,
  isNavigationAllowed,
  isPrintRequestAllowed,
  printWebPreferences,
  isPermissionGranted,
  isTrustedSender,
  securityHeaders,
  webPreferences,
} from '../../../main/shell/security.js';

describe('Electron security settings', () => {
  it('webPreferences isolate and sandbox the renderer', () => {
    expect(webPreferences('/app/dist/preload/preload.cjs', { devTools: false })).toEqual({
      preload: '/app/dist/preload/preload.cjs',
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
      devTools: false,
    });
  });

  it('registers app:// as standard and secure, without bypassing CSP', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({
      scheme: 'app',
      privileges: {
        standard: true,
        secure: true,
        bypassCSP: false,
        corsEnabled: false,
        allowServiceWorkers: false,
      },
    });
    expect(APP_ENTRY_URL).toBe('app://foureyes/index.html');
  });

  it('uses a strict CSP: no inline script or style, no framing, no forms, no plugins', () => {
    expect(contentSecurityPolicy({ kind: 'electron' })).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-src 'none'; frame-ancestors 'none'; " +
        "form-action 'none'; worker-src 'none'",
    );
    const browser = contentSecurityPolicy({ kind: 'browser', wsOrigins: ['ws://127.0.0.1:4000'] });
    expect(browser).toContain("connect-src 'self' ws://127.0.0.1:4000;");
    for (const csp of [browser, contentSecurityPolicy({ kind: 'electron' })]) {
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    }
    expect(securityHeaders('x')).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
  });

  it('trusts IPC only from the top frame showing app://foureyes', () => {
    expect(isTrustedSender({ url: 'app://foureyes/index.html', parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'app://foureyes/index.html', parent: {} })).toBe(false);
    for (const url of [
      'https://foureyes/index.html',
      'app://evil/index.html',
      'app://foureyes.evil.example/',
      'app://user@foureyes/',
      'file:///app/renderer/dist/index.html',
      'about:blank',
      'not a url',
    ]) {
      expect(isTrustedSender({ url, parent: null }), url).toBe(false);
    }
    expect(isTrustedSender(null)).toBe(false);
  });

  it('denies navigation away, window.open and every permission', () => {
    expect(isNavigationAllowed('app://foureyes/index.html')).toBe(true);
    expect(isNavigationAllowed('https://example.com/')).toBe(false);
    expect(isNavigationAllowed('file:///etc/passwd')).toBe(false);
    expect(isNavigationAllowed('javascript:alert(1)')).toBe(false);
    expect(WINDOW_OPEN_RESPONSE).toEqual({ action: 'deny' });
    for (const p of [
      'media',
      'notifications',
      'clipboard-read',
      'geolocation',
      'openExternal',
      'fullscreen',
    ]) {
      expect(isPermissionGranted(p)).toBe(false);
    }
  });

  it('the report print window runs no script, is sandboxed in a session of its own, loads only the report file', () => {
    expect(printWebPreferences()).toMatchObject({
      javascript: false,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: false,
      partition: PRINT_PARTITION,
    });
    expect(printWebPreferences()).not.toHaveProperty('preload');
    expect(PRINT_PARTITION.startsWith('persist:')).toBe(false);
    const report = 'file:///tmp/foureyes-print-x/report.html';
    expect(isPrintRequestAllowed(report, report)).toBe(true);
    expect(isPrintRequestAllowed('data:font/woff2;base64,AAAA', report)).toBe(true);
    for (const u of [
      'file:///etc/passwd',
      'https://example.org/x.css',
      'file:///tmp/foureyes-print-x/other.html',
    ])
      expect(isPrintRequestAllowed(u, report), u).toBe(false);
  });
});
