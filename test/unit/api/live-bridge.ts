/**
 * The real services on a workspace file behind the real browser bridge, called over HTTP as the UI calls them.
 * Every reply body is kept (a test can grep them for secrets) and the log entries go to a memory logger.
 */
import type { Reply } from '../../../shared/api/reply.js';
import { EventHub } from '../../../main/api/event-hub.js';
import { createHandlers } from '../../../main/api/handlers.js';
import { createDispatch, type Dispatch } from '../../../main/api/registry.js';
import type { SecretCipher } from '../../../main/secrets/policy.js';
import type { Services } from '../../../main/api/services.js';
import { startBridge, type Bridge } from '../../../main/bridge/server.js';
import { createServices } from '../../../main/services/index.js';
import { TEST_APP, memoryLogger } from './helpers.js';
import { raw } from './http-client.js';

export interface LiveBridge {
  services: Services;
  bridge: Bridge;
  dispatch: Dispatch;
  log: ReturnType<typeof memoryLogger>;
  /** Every reply body received, in order. */
  replies: string[];
  /** One call over HTTP; the reply as it came. */
  call<T = unknown>(method: string, input: unknown): Promise<Reply<T>>;
  /** One call that must succeed: its value (an error reply throws naming code and message). */
  ok<T = unknown>(method: string, input: unknown): Promise<T>;
  close(): Promise<void>;
}

/** The services over a real bridge; `cipher` stands for the OS keychain of the desktop app (none: browser mode). */
export async function startLiveBridge(
  workspacePath: string,
  cipher: SecretCipher | null = null,
): Promise<LiveBridge> {
  const log = memoryLogger();
  const services = await createServices({
    workspacePath,
    emit: () => undefined,
    mode: 'browser',
    secrets: {
      cipher,
      decision: cipher
        ? { persistent: true, detail: 'the test keychain' }
        : { persistent: false, detail: 'test' },
    },
  });
  const dispatch = createDispatch(createHandlers(services, TEST_APP), log, services.session);
  const bridge = await startBridge({
    dispatch,
    events: new EventHub(log),
    staticDir: '/nonexistent/renderer/dist',
    log,
  });
  const headers = {
    authorization: `Bearer ${bridge.token}`,
    origin: bridge.origin,
    'content-type': 'application/json',
  };
  const replies: string[] = [];
  const call = async <T>(method: string, input: unknown): Promise<Reply<T>> => {
    const r = await raw(bridge.port, {
      method: 'POST',
      path: `/api/${method}`,
      headers,
      body: JSON.stringify(input),
    });
    replies.push(r.body);
    return JSON.parse(r.body) as Reply<T>;
  };
  return {
    services,
    bridge,
    dispatch,
    log,
    replies,
    call,
    ok: async <T>(method: string, input: unknown): Promise<T> => {
      const r = await call<T>(method, input);
      if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
      return r.value;
    },
    close: async () => {
      await bridge.close();
      await services.close();
    },
  };
}
