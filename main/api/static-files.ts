/**
 * The renderer's built files (renderer/dist), served by both transports: the app:// protocol in Electron and the
 * bridge in browser mode. The path resolver is pure and refuses anything that could leave the root: `..` segments
 * (also percent-encoded), backslashes, NUL, dotfiles. Symlinks are followed only if they stay inside the root.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Map a URL path (`/assets/index-abc.js`, percent-encoded as it came) to a file under `rootDir`, or null when the
 * path is refused. `/` maps to index.html. Does not touch the file system.
 */
export function resolveStaticPath(rootDir: string, urlPath: string): string | null {
  if (!urlPath.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments: string[] = [];
  for (const seg of decoded.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' || seg.startsWith('.')) return null;
    segments.push(seg);
  }
  if (segments.length === 0) segments.push('index.html');
  const root = path.resolve(rootDir);
  const file = path.resolve(root, ...segments);
  return file.startsWith(root + path.sep) ? file : null;
}

export interface StaticFile {
  status: 200 | 400 | 404;
  body: Buffer;
  contentType: string;
}

/** Shown when renderer/dist has no index.html. Static text only: no script, no inline style (CSP). */
export const PLACEHOLDER_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Foureyes</title></head>
<body><h1>Foureyes</h1>
<p>The user interface is not built yet. Run <code>npm run build:renderer</code>, then reload this page.</p>
<p>The API is running.</p></body></html>
`;

const text = (status: 400 | 404, message: string): StaticFile => ({
  status,
  body: Buffer.from(message),
  contentType: 'text/plain; charset=utf-8',
});

async function regularFileInside(rootReal: string, file: string): Promise<boolean> {
  try {
    const real = await fs.realpath(file);
    if (!real.startsWith(rootReal + path.sep)) return false;
    return (await fs.stat(real)).isFile();
  } catch {
    return false;
  }
}

/**
 * Read the file for a URL path. Unknown paths without an extension get index.html (client-side routes); when
 * index.html itself is missing, the placeholder page.
 */
export async function readStaticFile(rootDir: string, urlPath: string): Promise<StaticFile> {
  const file = resolveStaticPath(rootDir, urlPath);
  if (!file) return text(400, 'refused path');
  let rootReal: string;
  try {
    rootReal = await fs.realpath(rootDir);
  } catch {
    rootReal = '';
  }
  if (rootReal && (await regularFileInside(rootReal, file))) {
    return { status: 200, body: await fs.readFile(file), contentType: contentTypeFor(file) };
  }
  if (path.extname(file) !== '' && path.basename(file) !== 'index.html') return text(404, 'not found');
  const index = path.join(path.resolve(rootDir), 'index.html');
  if (rootReal && (await regularFileInside(rootReal, index))) {
    return { status: 200, body: await fs.readFile(index), contentType: TYPES['.html']! };
  }
  return { status: 200, body: Buffer.from(PLACEHOLDER_HTML), contentType: TYPES['.html']! };
}
