import { FoureyesError, type ErrorCode } from '../../shared/model/errors.js';

/** host:port, an IPv6 address in brackets. */
function hostPort(e: { address: string; port: number }): string {
  return `${e.address.includes(':') ? `[${e.address}]` : e.address}:${e.port}`;
}

/** user@host:port, the way every SSH error names where it happened. */
export function endpointLabel(e: { user: string; address: string; port: number }): string {
  return `${e.user}@${hostPort(e)}`;
}

/** `name (host:port)`, or just host:port when the name is the address: a host named before any user is. */
export function hostLabel(e: { name: string; address: string; port: number }): string {
  return e.name === e.address ? hostPort(e) : `${e.name} (${hostPort(e)})`;
}

const NET_CODES: Record<string, { code: ErrorCode; what: string }> = {
  ECONNREFUSED: { code: 'connect_refused', what: 'connection refused' },
  ETIMEDOUT: { code: 'connect_timeout', what: 'connection timed out' },
  ENOTFOUND: { code: 'unreachable', what: 'host name not found' },
  EAI_AGAIN: { code: 'unreachable', what: 'host name lookup failed (temporary DNS failure)' },
  EHOSTUNREACH: { code: 'unreachable', what: 'no route to host' },
  ENETUNREACH: { code: 'unreachable', what: 'network unreachable' },
  EHOSTDOWN: { code: 'unreachable', what: 'host is down' },
  ECONNRESET: { code: 'ssh_error', what: 'connection reset by peer' },
  EPIPE: { code: 'ssh_error', what: 'connection closed by peer' },
};

/** Reasons in an SSH_MSG_CHANNEL_OPEN_FAILURE (RFC 4254 5.1), as ssh2 reports them on forwardOut. */
const OPEN_FAILURE: Record<number, { code: ErrorCode; what: string }> = {
  1: { code: 'ssh_error', what: 'forwarding prohibited by the jump host' },
  2: { code: 'connect_refused', what: 'the jump host could not connect' },
  3: { code: 'ssh_error', what: 'unknown channel type' },
  4: { code: 'ssh_error', what: 'resource shortage on the jump host' },
};

/**
 * Turns an ssh2 or socket error into a FoureyesError whose message names `who` (user@host:port). A FoureyesError
 * passes through unchanged.
 */
export function mapSshError(err: unknown, who: string): FoureyesError {
  if (err instanceof FoureyesError) return err;
  const e = err as { message?: string; code?: string | number; level?: string; reason?: number };
  const msg = typeof e?.message === 'string' ? e.message : String(err);
  if (typeof e?.code === 'string' && NET_CODES[e.code]) {
    const m = NET_CODES[e.code]!;
    return new FoureyesError(m.code, `${who}: ${m.what}`);
  }
  if (/All configured authentication methods failed/i.test(msg)) {
    return new FoureyesError('auth_failed', `${who}: authentication failed (the server accepted none of the offered credentials)`);
  }
  if (/Timed out while waiting for handshake/i.test(msg)) {
    return new FoureyesError('connect_timeout', `${who}: no SSH handshake within the connect timeout`);
  }
  if (/Keepalive timeout/i.test(msg)) return new FoureyesError('ssh_error', `${who}: connection lost (no answer to keepalives)`);
  if (/Connection lost before handshake/i.test(msg)) {
    return new FoureyesError('ssh_error', `${who}: connection closed before the SSH handshake (not an SSH server, or it refused this client)`);
  }
  if (e?.level === 'client-dns') return new FoureyesError('unreachable', `${who}: ${msg}`);
  if (typeof e?.reason === 'number' && OPEN_FAILURE[e.reason]) {
    const m = OPEN_FAILURE[e.reason]!;
    return new FoureyesError(m.code, `${who}: ${m.what} (${msg})`);
  }
  return new FoureyesError('ssh_error', `${who}: ${msg}`);
}

/** Same error, message prefixed with where in a jump chain it happened. */
export function withHopContext(err: FoureyesError, context: string): FoureyesError {
  return new FoureyesError(err.code, `${context}: ${err.message}`, err.details);
}
