/**
 * Worker thread entry of parse-off-thread.ts: parses one inventory and posts the outcome. A refusal the user can
 * act on goes back as its code and message; anything else as a crash (a bug), never as a stack in a message.
 */
import { parentPort } from 'node:worker_threads';
import { isFoureyesError } from '../../shared/model/errors.js';
import { parseInventory } from './parse.js';
import type { ParseReply, ParseRequest } from './parse-off-thread.js';

parentPort?.once('message', (req: ParseRequest) => {
  let reply: ParseReply;
  try {
    reply = { ok: true, parse: parseInventory(req.source, req.content, req.file) };
  } catch (e) {
    reply = isFoureyesError(e)
      ? { ok: false, refusal: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } }
      : { ok: false, crash: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  parentPort?.postMessage(reply);
});
