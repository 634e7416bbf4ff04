/**
 * The parts of ssh2 the client side uses, each from its own file. ssh2's index also loads its server, its key
 * generator, its SFTP constants and its HTTP agents (and with them node:http, node:https and node:tls): some ten
 * milliseconds of the command line's start-up for nothing it runs. Typed by the package's own declarations.
 */
import type * as ssh2 from 'ssh2';
import agent from 'ssh2/lib/agent.js';
import client from 'ssh2/lib/client.js';
import keyParser from 'ssh2/lib/protocol/keyParser.js';

// CommonJS files: the default import is their module.exports.
export const Client = client as typeof ssh2.Client;
export const OpenSSHAgent = (agent as { OpenSSHAgent: typeof ssh2.OpenSSHAgent }).OpenSSHAgent;
export const parseKey = (keyParser as { parseKey: typeof ssh2.utils.parseKey }).parseKey;
