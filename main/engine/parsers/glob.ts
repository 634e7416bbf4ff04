/** Shell-style glob matching (`*`, `?`, `[...]`) used for Include patterns, path filters and allow-lists. */

const cache = new Map<string, RegExp>();

/** Converts a glob to an anchored RegExp. `*` and `?` do not match `/` unless `crossSlash` is set. */
export function globToRegExp(glob: string, crossSlash = false): RegExp {
  const key = `${crossSlash ? 1 : 0}${glob}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const any = crossSlash ? '.' : '[^/]';
  let re = '^';
  for (let i = 0; i < glob.length && i < 4096; i++) {
    const c = glob[i] as string;
    if (c === '*') re += `${any}*`;
    else if (c === '?') re += any;
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) re += '\\[';
      else {
        let body = glob.slice(i + 1, close);
        const negate = body.startsWith('!') || body.startsWith('^');
        if (negate) body = body.slice(1);
        re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, (m) => `\\${m}`);
  }
  re += '$';
  let out: RegExp;
  try {
    out = new RegExp(re);
  } catch {
    out = new RegExp(`^${glob.replace(/[.*+?^${}()|[\]\\/]/g, (m) => `\\${m}`)}$`);
  }
  if (cache.size > 2000) cache.clear();
  cache.set(key, out);
  return out;
}
