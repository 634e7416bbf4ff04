/** The walk frame on hand-written output: records per fact, truncation, damage; nothing a target can forge. */
import { describe, expect, it } from 'vitest';
import type { PathsFact } from '../../../shared/facts/snapshot.js';
import { parseCollectorOutput } from '../../../main/collector/parse.js';
import { B, Synth } from './synth.js';

const IDS = ['host.id', 'host.os_release', 'fs.etc_world_writable', 'fs.suid'];
const parse = (b: Buffer, requested?: string[]) =>
  parseCollectorOutput(b, { boundary: B, source: 'ssh', collectedAt: '2025-01-01T00:00:00.000Z', ...(requested ? { requested } : {}) });
const rec = (id: string, path: string | Buffer): Buffer => Buffer.concat([Buffer.from(id), Buffer.from(path), Buffer.from([0])]);

function output(stdout: Buffer, opts: { rc?: number; ids?: string[]; frame?: (s: Synth) => Synth; done?: boolean } = {}): Buffer {
  const s = new Synth(B, opts.ids ?? IDS).command('host.id', '0\nroot\nh\nLinux 6 x86_64\n').file('host.os_release', '/etc/os-release', 'ID=debian\n');
  (opts.frame ?? ((x: Synth) => x.h('begin', 'fs.walk', 'walk').h('stdout', 'fs.walk').data(stdout).h('stderr', 'fs.walk').data('').h('rc', 'fs.walk', opts.rc ?? 0).h('end', 'fs.walk', 0)))(s);
  return (opts.done === false ? s : s.done()).buffer();
}
const paths = (s: ReturnType<typeof parse>, id: string) => s.facts[id] as PathsFact;

describe('walk frame', () => {
  it('splits records per fact: each name once, exact, in byte order', () => {
    const s = parse(
      output(
        Buffer.concat([
          rec('fs.suid', '/usr/bin/su'),
          rec('fs.etc_world_writable', '/etc/app\n<svg onload=alert(1)>.conf'),
          rec('fs.suid', Buffer.from([0x2f, 0x78, 0xff, 0x1b])),
          rec('fs.suid', '/usr/bin/su'),
          rec('fs.suid', '/-leading'),
        ]),
      ),
    );
    expect(s.complete).toBe(true);
    expect(s.issues).toEqual([]);
    expect(s.facts['fs.etc_world_writable']).toEqual({ kind: 'paths', paths: ['/etc/app\\x0a<svg onload=alert(1)>.conf'] });
    expect(s.facts['fs.suid']).toEqual({ kind: 'paths', paths: ['/-leading', '/usr/bin/su', '/x\\xff\\x1b'] });
    expect(s.facts['fs.walk']).toBeUndefined();
  });

  it('gives empty lists for an empty walk and marks a non-zero exit as incomplete', () => {
    expect(parse(output(Buffer.alloc(0))).facts['fs.suid']).toEqual({ kind: 'paths', paths: [] });
    expect(paths(parse(output(rec('fs.suid', '/a'), { rc: 1 })), 'fs.suid')).toEqual({ kind: 'paths', paths: ['/a'], incomplete: true });
  });

  it('drops a record cut without its NUL and marks every fact truncated', () => {
    const s = parse(output(Buffer.concat([rec('fs.suid', '/a'), Buffer.from('fs.etc_world_writable/etc/cut-here')])));
    expect(paths(s, 'fs.suid')).toEqual({ kind: 'paths', paths: ['/a'], truncated: true });
    expect(paths(s, 'fs.etc_world_writable')).toEqual({ kind: 'paths', paths: [], truncated: true });
  });

  it('cuts at the byte cap on whole records, and at the item cap', () => {
    const many = Buffer.concat(Array.from({ length: 1500 }, (_, i) => rec('fs.etc_world_writable', `/etc/f${i}`)));
    const s = parse(output(many));
    expect(paths(s, 'fs.etc_world_writable').paths).toHaveLength(1000);
    expect(paths(s, 'fs.etc_world_writable').truncated).toBe(true);
    expect(paths(s, 'fs.suid').truncated).toBeUndefined();
    // Over the walk's byte cap (256 KiB + 512 KiB): cut, flagged, only whole names kept.
    const big = Buffer.concat(Array.from({ length: 1000 }, (_, i) => rec('fs.suid', `/${String(i).padStart(4, '0')}${'x'.repeat(900)}`)));
    const t = parse(output(big));
    expect(paths(t, 'fs.suid').truncated).toBe(true);
    expect(paths(t, 'fs.suid').paths.every((p) => p.length === 905)).toBe(true);
  });

  it('drops a name longer than PATH_MAX and says the list is truncated', () => {
    const s = parse(output(Buffer.concat([rec('fs.suid', `/${'a'.repeat(5000)}`), rec('fs.suid', '/ok')])));
    expect(paths(s, 'fs.suid')).toEqual({ kind: 'paths', paths: ['/ok'], truncated: true });
  });

  it('turns a record that is not ours, or a damaged frame, into errors', () => {
    for (const bad of [rec('fs.mounts', '/x'), Buffer.from('no-slash\0'), rec('', '/x'), rec('fs.suid', '')]) {
      const s = parse(output(Buffer.concat([rec('fs.suid', '/a'), bad])));
      expect(paths(s, 'fs.suid').problem, bad.toString('latin1')).toBe('error');
    }
    const unclosed = parse(output(Buffer.alloc(0), { frame: (x) => x.h('begin', 'fs.walk', 'walk').h('stdout', 'fs.walk').data(rec('fs.suid', '/a')), done: false }));
    expect(unclosed.complete).toBe(false);
    expect(paths(unclosed, 'fs.suid').problem).toBe('error');
  });

  it('reports find missing or timed out on every paths fact', () => {
    const missing = parse(output(Buffer.alloc(0), { frame: (x) => x.h('begin', 'fs.walk', 'walk').h('missing', 'fs.walk').h('end', 'fs.walk', 0) }));
    expect(paths(missing, 'fs.suid')).toMatchObject({ problem: 'missing' });
    expect(paths(missing, 'fs.etc_world_writable')).toMatchObject({ problem: 'missing' });
    const slow = parse(
      output(Buffer.alloc(0), {
        frame: (x) => x.h('begin', 'fs.walk', 'walk').h('stdout', 'fs.walk').data('').h('stderr', 'fs.walk').data('').h('timeout', 'fs.walk').h('rc', 'fs.walk', 124).h('end', 'fs.walk', 0),
      }),
    );
    expect(paths(slow, 'fs.suid')).toMatchObject({ problem: 'timeout' });
  });

  it('ignores a walk frame when no paths fact was requested, a second walk frame, and a paths fact framed on its own', () => {
    const none = parse(output(rec('fs.suid', '/a'), { ids: ['host.id', 'host.os_release'] }));
    expect(none.facts['fs.suid']).toBeUndefined();
    expect(none.issues.map((i) => i.message)).toContain('walk frame without a requested paths fact ignored');
    const own = parse(
      output(Buffer.alloc(0), { frame: (x) => x.command('fs.suid', '/usr/local/bin/rootshell\n') }),
    );
    expect(own.facts['fs.suid']).toBeUndefined();
    expect(own.complete).toBe(false);
    expect(own.issues.some((i) => i.factId === 'fs.suid' && i.message === 'requested fact never arrived')).toBe(true);
    const twice = parse(
      output(rec('fs.suid', '/a'), {
        frame: (x) =>
          x
            .h('begin', 'fs.walk', 'walk').h('stdout', 'fs.walk').data(rec('fs.suid', '/a')).h('stderr', 'fs.walk').data('').h('rc', 'fs.walk', 0).h('end', 'fs.walk', 0)
            .h('begin', 'fs.walk', 'walk').h('stdout', 'fs.walk').data(rec('fs.suid', '/forged')).h('stderr', 'fs.walk').data('').h('rc', 'fs.walk', 0).h('end', 'fs.walk', 0),
      }),
    );
    expect(paths(twice, 'fs.suid').paths).toEqual(['/a']);
  });

  it('a paths fact that was not asked for this run is left out', () => {
    const s = parse(output(Buffer.concat([rec('fs.suid', '/a'), rec('fs.etc_world_writable', '/etc/b')])), ['host.id', 'host.os_release', 'fs.suid']);
    expect(paths(s, 'fs.suid').paths).toEqual(['/a']);
    expect(s.facts['fs.etc_world_writable']).toBeUndefined();
  });
});
