import { describe, expect, it } from 'vitest';
import type { CommandFact } from '../../../shared/facts/snapshot.js';
import { parseCollectorOutput } from '../../../main/collector/parse.js';
import { parseStat } from '../../../main/collector/to-fact.js';
import { encodeTarget } from '../../../shared/text/target-text.js';
import { B, OTHER, Synth, smallOutput } from './synth.js';

const parse = (b: Buffer, boundary: string | undefined = B) =>
  parseCollectorOutput(b, { ...(boundary ? { boundary } : {}), source: 'ssh', collectedAt: '2025-01-01T00:00:00.000Z' });
const ids = ['host.id', 'host.os_release', 'proc.list'];
const lines = (b: Buffer): string[] => b.toString('latin1').split('\n');
const join = (l: string[]): Buffer => Buffer.from(l.join('\n'), 'latin1');

describe('parseCollectorOutput on well-formed output', () => {
  it('builds the snapshot', () => {
    const s = parse(smallOutput());
    expect(s).toMatchObject({ complete: true, privileged: true, source: 'ssh', collectorVersion: '1', collectedAt: '2025-01-01T00:00:00.000Z', issues: [] });
    expect(s.facts['host.os_release']).toEqual({
      kind: 'file',
      path: '/etc/os-release',
      exists: true,
      stat: { type: 'file', mode: 0o644, uid: 0, gid: 0, user: 'root', group: 'root', size: 10 },
      content: 'ID=debian\n',
      contentTruncated: false,
      // No hash from the target for a file that arrived whole: the workstation's, of the bytes that arrived.
      sha256: '374b6b0ce4fc9819fd0d5616c7d371cc2d45a5a9b759af0e84315bf26a12c4f5',
    });
    expect(s.facts['proc.list']).toEqual({ kind: 'command', exitCode: 0, stdout: 'root 1 0 init /sbin/init\n', stderr: '' });
  });

  it('reads a stderr marked hex in hex, whatever the run encoding; bad hex damages the frame', () => {
    const hex = (t: string) => Buffer.from(t, 'latin1').toString('hex').replace(/(..)/g, ' $1');
    const withErr = (data: string) =>
      join(
        lines(smallOutput()).flatMap((l) =>
          l === `${B} stderr proc.list` ? [`${B} stderr proc.list hex`, data] : [l],
        ),
      );
    const s = parse(withErr(hex('e\x00rr\xff\n')));
    const err = (s.facts['proc.list'] as CommandFact).stderr;
    expect(Buffer.from(encodeTarget(err)).equals(Buffer.from('e\x00rr\xff\n', 'latin1'))).toBe(true);
    expect((s.facts['proc.list'] as CommandFact).stdout).toBe('root 1 0 init /sbin/init\n');
    const bad = parse(withErr('ZmX/'));
    expect(bad.facts['proc.list']).toMatchObject({ problem: 'error', detail: 'damaged frame: invalid hex data' });
  });

  it('takes the boundary and the fact list from the preamble when none is given', () => {
    expect(parse(smallOutput(), undefined)).toEqual(parse(smallOutput()));
  });

  it('ignores a banner before the preamble, and accepts CRLF line ends', () => {
    const banner = Buffer.from(`Welcome!\n${OTHER} foureyes-collector 1 b64 host.id\n`);
    const s = parse(Buffer.concat([banner, smallOutput()]));
    expect(s.complete).toBe(true);
    expect(s.issues.map((i) => i.message)).toEqual([`${banner.length} bytes before the collector preamble ignored`]);
    const crlf = Buffer.from(smallOutput().toString('latin1').replace(/\n/g, '\r\n'), 'latin1');
    expect(parse(crlf).facts).toEqual(parse(smallOutput()).facts);
  });

  it('reads privilege from host.id', () => {
    const out = new Synth(B, ['host.id']).command('host.id', '1000\nalice\n').done().buffer();
    expect(parse(out).privileged).toBe(false);
  });

  it('parses stat output for every file type and special bits', () => {
    expect(parseStat('89ed 4755 0 0 10\nroot\nshadow\n')).toMatchObject({ type: 'file', mode: 0o4755, group: 'shadow' });
    expect(parseStat('43ff 1777 0 0 4096\nroot\nroot\n')).toMatchObject({ type: 'dir', mode: 0o1777 });
    expect(parseStat('a1ff 777 0 0 4\nroot\nroot\n')).toMatchObject({ type: 'link' });
    expect(parseStat('2190 620 0 5 0\nroot\ntty\n')).toMatchObject({ type: 'other' });
    expect(parseStat('garbage')).toBeUndefined();
    expect(parseStat('81a4 999 0 0 1\nroot\nroot\n')).toBeUndefined();
  });
});

describe('parseCollectorOutput on damaged output', () => {
  it('refuses what is not collector output at all', () => {
    expect(() => parse(Buffer.from('hello\n'))).toThrow(expect.objectContaining({ code: 'collector', message: expect.stringContaining('not Foureyes collector output') }));
    expect(() => parse(Buffer.alloc(0), undefined)).toThrow(expect.objectContaining({ code: 'collector' }));
    expect(() => parse(smallOutput(), OTHER)).toThrow(expect.objectContaining({ code: 'collector', message: expect.stringContaining('boundary') }));
  });

  it('marks a missing end marker and missing facts', () => {
    const l = lines(smallOutput());
    const noDone = parse(join(l.filter((x) => x !== `${B} done`)));
    expect(noDone.complete).toBe(false);
    expect(noDone.issues.some((i) => i.message.includes('end marker'))).toBe(true);
    const onlyPreamble = parse(Buffer.from(l[0] + '\n'));
    expect(onlyPreamble.complete).toBe(false);
    expect(onlyPreamble.issues.filter((i) => i.message === 'requested fact never arrived').map((i) => i.factId)).toEqual(ids);
  });

  it('marks a frame that did not close as error, and a cut last line is not used', () => {
    const l = lines(smallOutput());
    const cut = l.findIndex((x) => x === `${B} end proc.list 0`);
    const s = parse(join([...l.slice(0, cut), '']));
    expect(s.facts['proc.list']).toMatchObject({ problem: 'error', detail: expect.stringContaining('did not close') });
    expect(s.facts['host.id']?.problem).toBeUndefined();
    expect(s.complete).toBe(false);
    // "rc proc.list 0" cut to "rc proc.list " must not be read as a header.
    const rcLine = l.findIndex((x) => x.startsWith(`${B} rc proc.list`));
    const half = parse(Buffer.from(l.slice(0, rcLine).join('\n') + '\n' + `${B} rc proc.li`, 'latin1'));
    expect((half.facts['proc.list'] as CommandFact).exitCode).toBeNull();
    expect(half.complete).toBe(false);
  });

  it('confines a forged header inside a data field to that fact', () => {
    const l = lines(smallOutput());
    const at = l.findIndex((x) => x === `${B} content host.os_release`) + 1;
    const s = parse(join([...l.slice(0, at), `${OTHER} end host.os_release 0`, ...l.slice(at)]));
    expect(s.facts['host.os_release']).toMatchObject({ problem: 'error', detail: expect.stringContaining('invalid b64') });
    expect(s.facts['proc.list']).toEqual(parse(smallOutput()).facts['proc.list']);
    expect(s.complete).toBe(false);
  });

  it('ignores stray lines between frames', () => {
    const l = lines(smallOutput());
    const at = l.findIndex((x) => x === `${B} end host.id 0`) + 1;
    const s = parse(join([...l.slice(0, at), `${OTHER} done`, 'garbage \x00\xff', ...l.slice(at)]));
    expect(s.facts).toEqual(parse(smallOutput()).facts);
    expect(s.complete).toBe(true);
    expect(s.issues.map((i) => i.message)).toEqual(['2 stray lines outside any field ignored']);
  });

  it('keeps the first of duplicate frames and ignores unknown or unrequested ids', () => {
    const dup = new Synth(B, ['host.id', 'proc.list'])
      .command('host.id', '0\n')
      .command('proc.list', 'first\n')
      .command('proc.list', 'second\n')
      .command('no.such', 'x')
      .command('pkg.list', 'x')
      .done()
      .buffer();
    const s = parse(dup);
    expect((s.facts['proc.list'] as CommandFact).stdout).toBe('first\n');
    expect(s.facts['pkg.list']).toBeUndefined();
    expect(s.complete).toBe(true);
    expect(s.issues.map((i) => i.message)).toEqual([
      'duplicate frame ignored (the first one is kept)',
      'frame for an unknown fact id ignored',
      'frame for a fact that was not requested ignored',
    ]);
  });

  it('marks invalid base64, bad rc and impossible sequences as errors', () => {
    const s = parse(
      new Synth(B, ['host.id', 'proc.list', 'pkg.list'])
        .command('host.id', '0\n')
        .h('begin', 'proc.list', 'command').h('stdout', 'proc.list').raw('####').h('rc', 'proc.list', 0).h('end', 'proc.list', 0)
        .h('begin', 'pkg.list', 'command').h('stdout', 'pkg.list').h('rc', 'pkg.list', 'x1').h('end', 'pkg.list', 0)
        .done()
        .buffer(),
    );
    expect(s.facts['proc.list']).toMatchObject({ problem: 'error' });
    expect(s.facts['pkg.list']).toMatchObject({ problem: 'error', detail: expect.stringContaining('rc') });
    expect(s.complete).toBe(false);
  });

  it('treats a closed frame that lacks its exit status as damaged', () => {
    const s = parse(
      new Synth(B, ['host.id', 'proc.list']).command('host.id', '0\n').h('begin', 'proc.list', 'command').h('stdout', 'proc.list').data('x').h('end', 'proc.list', 137).done().buffer(),
    );
    expect(s.facts['proc.list']).toMatchObject({ problem: 'error', detail: 'damaged frame: no exit status reported', stdout: 'x' });
    expect(s.complete).toBe(false);
  });

  it('caps an oversized field at the fact cap', () => {
    const huge = 'A'.repeat(8 * 1024 * 1024);
    const s = parse(new Synth(B, ['host.id']).command('host.id', huge).done().buffer());
    const f = s.facts['host.id'] as CommandFact;
    expect(f.stdout.length).toBe(4096);
    expect(f.stdoutTruncated).toBe(true);
  });

  it('keeps content bytes that are not UTF-8, each as its own surrogate (never U+FFFD)', () => {
    const bytes = new Synth(B, ['host.id']).h('begin', 'host.id', 'command').h('stdout', 'host.id').data(Buffer.from([0x61, 0xff, 0xfe, 0x00, 0x62]));
    const t = parse(bytes.h('rc', 'host.id', 0).h('end', 'host.id', 0).done().buffer());
    const out = (t.facts['host.id'] as CommandFact).stdout;
    expect(out).toBe('a\udcff\udcfe\0b');
    expect(Buffer.from(encodeTarget(out)).equals(Buffer.from([0x61, 0xff, 0xfe, 0x00, 0x62]))).toBe(true);
  });

  it('flags output the transport cut', () => {
    const s = parseCollectorOutput(smallOutput(), { boundary: B, source: 'ssh', stdoutTruncated: true });
    expect(s.complete).toBe(false);
  });
});
