/**
 * The /events WebSocket: pushes every event of the hub to every connected page. Clients send nothing; a client
 * message closes the socket (1008). A client that stops reading is dropped once its backlog passes 8 MiB.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { EventHub } from '../api/event-hub.js';
import type { ApiLogger } from '../api/log.js';
import { EVENTS_PROTOCOL } from '../../shared/api/http-transport.js';

const MAX_BACKLOG = 8 * 1024 * 1024;

export class EventSockets {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: 1024,
    perMessageDeflate: false,
    // A browser offers [EVENTS_PROTOCOL, foureyes.bearer.<token>]; the answer names only the first, never the token.
    handleProtocols: (offered) => (offered.has(EVENTS_PROTOCOL) ? EVENTS_PROTOCOL : false),
  });
  private readonly unsubscribe: () => void;

  constructor(
    hub: EventHub,
    private readonly log: ApiLogger,
  ) {
    this.unsubscribe = hub.subscribe((envelope) => {
      const frame = JSON.stringify(envelope);
      for (const ws of this.wss.clients) {
        if (ws.readyState !== WebSocket.OPEN) continue;
        if (ws.bufferedAmount > MAX_BACKLOG) {
          this.log.warn('events socket dropped: client not reading', {});
          ws.terminate();
          continue;
        }
        ws.send(frame);
      }
    });
  }

  /** Complete an upgrade that the caller already authorised. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('message', () => ws.close(1008, 'clients send nothing'));
      ws.on('error', () => ws.terminate());
    });
  }

  get size(): number {
    return this.wss.clients.size;
  }

  close(): void {
    this.unsubscribe();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}
