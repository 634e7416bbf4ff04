import { describe, expect, it } from 'vitest';
import { createHttpTransport, type SocketHandlers } from '../../../shared/api/http-transport.js';

describe('createHttpTransport', () => {
  it('maps bridge refusals and unreachable bridges to internal replies with a useful message', async () => {
    const t = createHttpTransport({
      baseUrl: 'http://127.0.0.1:1',
      fetch: async () => ({ status: 401, text: async () => 'no' }),
      openSocket: () => ({ close: () => undefined }),
    });
    expect(await t.call('app.info', {})).toMatchObject({
      ok: false,
      error: { code: 'internal', message: expect.stringContaining('printed at start-up') },
    });
    const down = createHttpTransport({
      baseUrl: 'http://127.0.0.1:1',
      fetch: async () => {
        throw new Error('ECONNREFUSED');
      },
      openSocket: () => ({ close: () => undefined }),
    });
    expect(await down.call('app.info', {})).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('not reachable') },
    });
  });

  it('opens one socket lazily, routes frames by event name, ignores junk, reconnects after a close', async () => {
    const opened: { url: string; h: SocketHandlers; closed: boolean }[] = [];
    const t = createHttpTransport({
      baseUrl: 'http://127.0.0.1:5000',
      fetch: async () => ({ status: 200, text: async () => '{}' }),
      openSocket: (url, h) => {
        const s = { url, h, closed: false };
        opened.push(s);
        return { close: () => (s.closed = true) };
      },
      reconnectMs: 10,
    });
    expect(opened).toHaveLength(0);
    const got: unknown[] = [];
    t.on('scan.finished', (p) => got.push(p));
    t.on('scan.progress', (p) => got.push(['progress', p]));
    expect(opened.map((o) => o.url)).toEqual(['ws://127.0.0.1:5000/events']);
    const h = opened[0]!.h;
    h.message('not json');
    h.message(JSON.stringify({ event: 'toString', payload: 1 }));
    h.message(JSON.stringify({ event: 'scan.finished', payload: { scanId: 's1' } }));
    expect(got).toEqual([{ scanId: 's1' }]);
    h.close();
    await new Promise((r) => setTimeout(r, 40));
    expect(opened).toHaveLength(2);
    opened[1]!.h.message(JSON.stringify({ event: 'scan.progress', payload: 2 }));
    expect(got).toEqual([{ scanId: 's1' }, ['progress', 2]]);
    t.close();
    expect(opened[1]!.closed).toBe(true);
  });
});
