/** Inventories of many hosts for the import and paging tests. */

/** A distinct IPv4 address for host number i. */
export const addressOf = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/**
 * A CSV of `n` hosts h0, h1, … with distinct addresses; with `jumpEvery` k, every host but each k-th jumps through
 * the k-th before it (h1..h9 through h0, h11..h19 through h10, …).
 */
export function csvHosts(n: number, opts: { jumpEvery?: number } = {}): string {
  const k = opts.jumpEvery;
  const rows = [k ? 'name,address,jump' : 'name,address'];
  for (let i = 0; i < n; i++) {
    const jump = k ? `,${i % k === 0 ? '' : `h${i - (i % k)}`}` : '';
    rows.push(`h${i},${addressOf(i)}${jump}`);
  }
  return `${rows.join('\n')}\n`;
}
