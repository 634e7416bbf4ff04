import { randomBytes } from 'node:crypto';
import { ALWAYS_COLLECTED, FACTS, type FactDef, type FileFactDef, type FileSetFactDef, type SudoReadDef } from '../../shared/facts/registry.js';
import { keysRegex } from '../../shared/facts/secrets.js';
import { FoureyesError } from '../../shared/model/errors.js';
import { BOUNDARY_RE, COLLECTOR_FORMAT_VERSION, FACT_ID_RE, inRegistry, PREAMBLE_TAG, type FactRegistry } from './protocol.js';
import { SCRIPT_LIB } from './script-lib.js';
import { SUDO_LIB } from './script-sudo.js';
import { shQuote } from './sh-quote.js';
import { walkCall } from './walk.js';

export interface CollectorScriptOptions {
  /** Per-run boundary (32 to 128 lowercase hex digits). Default: 128 random bits from the OS CSPRNG. */
  boundary?: string;
  /**
   * Per-command time limit in seconds, enforced with `timeout` when the target has it (0 = none). A command that
   * hits it is reported with problem `timeout`; the run's own deadline still bounds the whole script.
   */
  commandTimeoutSec?: number;
  /** Where fact ids are looked up. Default FACTS; it must hold ALWAYS_COLLECTED. */
  registry?: FactRegistry;
  /**
   * Read what the login user may not through restricted sudo rules (`sudo -n`, only commands `sudo -n -l` allows;
   * see script-sudo.ts), and collect the rules (`sudo.rules`). Default false; the SSH transport turns it on unless
   * the target's privilege policy is 'none'. Never used when the script runs as root.
   */
  sudoReads?: boolean;
}

export interface CollectorScript {
  script: string;
  boundary: string;
  /** The facts the script gathers, in order: ALWAYS_COLLECTED first, then the requested ones, without repeats. */
  factIds: string[];
}

export const DEFAULT_COMMAND_TIMEOUT_SEC = 60;

/** A fresh boundary: 128 bits from the OS CSPRNG, as hex. */
export function newBoundary(): string {
  return randomBytes(16).toString('hex');
}

export { shQuote };

/** ALWAYS_COLLECTED plus `factIds`, validated and without repeats. Throws bad_input for an unknown id. */
export function resolveFactIds(factIds: readonly string[], registry: FactRegistry = FACTS): string[] {
  const out: string[] = [];
  for (const id of [...ALWAYS_COLLECTED, ...factIds]) {
    if (!inRegistry(registry, id)) throw new FoureyesError('bad_input', `unknown fact id "${id}" (not in the fact registry)`);
    if (!FACT_ID_RE.test(id)) throw new FoureyesError('internal', `fact id "${id}" cannot be framed`);
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

function factCall(id: string, def: FactDef): string | undefined {
  const q = shQuote;
  switch (def.kind) {
    case 'paths':
      return undefined; // served by the walk
    case 'file':
      return withSecrets(def, `_fact file ${id} ${def.maxBytes} ${q(def.path)}`);
    case 'fileset':
      return withSecrets(def, `_fact fileset ${id} ${def.maxBytes} ${def.maxFiles} ${def.patterns.map(q).join(' ')}`);
    case 'command': {
      const call = `_fact command ${id} ${def.maxBytes} ${q(def.script)} ${def.requires.map(q).join(' ')}`;
      return def.sudo ? `${sudoCandidates(def.sudo)}; ${call}; _SC= _SP=` : call;
    }
  }
}

const OPTION_RE = /^[a-z0-9_]{1,32}$/;

/**
 * A file or fileset call with the fact's secret rule (shared/facts/secrets.ts) and its mount-table references in
 * the variables the script's `_ent` reads (_XM _XK _XX, _XT _XF), cleared after the call.
 */
export function withSecrets(def: FileFactDef | FileSetFactDef, call: string): string {
  const vars: string[] = [];
  const s = def.secrets;
  if (s) {
    vars.push(`_XM=${s.kind}`);
    if (s.kind !== 'file') {
      if (s.keys.length === 0) throw new FoureyesError('internal', 'a secret rule without keys');
      vars.push(`_XK=${shQuote(keysRegex(s.keys))}`);
    }
    if (s.kind === 'keys' && s.keep && s.keep.length > 0) vars.push(`_XX=${shQuote(keysRegex(s.keep))}`);
    if (s.kind === 'file' && def.maxBytes !== 0) throw new FoureyesError('internal', 'a secret file fact must keep no content (maxBytes 0)');
  }
  if (def.kind === 'fileset' && def.namedIn) {
    const { table, options } = def.namedIn;
    if (!table.startsWith('/') || options.length === 0 || !options.every((o) => OPTION_RE.test(o))) {
      throw new FoureyesError('internal', 'namedIn needs an absolute table path and plain option names');
    }
    vars.push(`_XT=${shQuote(table)} _XF=${shQuote(options.join(','))}`);
  }
  return vars.length === 0 ? call : `${vars.join(' ')}; ${call}; _XM= _XK= _XX= _XT= _XF=`;
}

/** A command fact's sudo candidates as the script's _SC (one sh-quoted command line per line) and _SP (filter). */
export function sudoCandidates(s: SudoReadDef): string {
  for (const argv of s.argv) {
    if (argv.length === 0 || argv.some((w) => w === '' || /[\n\r]/.test(w))) throw new FoureyesError('internal', 'sudo candidate with an empty word or a line break');
  }
  const lines = s.argv.map((argv) => argv.map(shQuote).join(' ')).join('\n');
  return `_SC=${shQuote(lines)} _SP=${shQuote(s.pipe ?? '')}`;
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}

/**
 * The pre-scan (the script's _pq and _pd): the readable files of the file and fileset facts without a secret rule
 * (those keep their own look at their files, with their rule) are looked at for private key material (those that
 * keep content), stat'ed and hashed by one grep, one stat and one sha256sum before the first fact. Each such fact
 * gets a number, set as _P around its call, under which its answers are kept.
 */
function preScan(ids: readonly string[], registry: FactRegistry): { calls: string[]; numbers: Map<string, number> } {
  const q = shQuote;
  const numbers = new Map<string, number>();
  const calls: string[] = [];
  for (const id of ids) {
    const def = registry[id] as FactDef;
    if ((def.kind !== 'file' && def.kind !== 'fileset') || def.secrets) continue;
    const pk = numbers.size + 1;
    numbers.set(id, pk);
    // c: the fact keeps content (its files are also looked at for key material); s: stat only.
    const kind = def.maxBytes > 0 ? 'c' : 's';
    const list = def.kind === 'file' ? `1 ${kind} ${q(def.path)}` : `${def.maxFiles} ${kind} ${def.patterns.map(q).join(' ')}`;
    calls.push(`_pq ${pk} ${list}`);
  }
  return { calls: calls.length === 0 ? [] : [...calls, '_pd'], numbers };
}

/**
 * The walk's calls run beside the other facts' calls: the walk of the file systems is most of a collector run's time
 * on a small host and needs nothing the others print, so it starts first, in its own subshell, while the others run
 * one after the other. Its frames are held in that subshell's memory (a command substitution: no temp file, and the
 * walk never waits on a full pipe, so its time limit measures only its own work) and printed after the others' frames,
 * as if it had run last; the output is the same as a run one after the other. The other facts keep /dev/null as their
 * stdin; the walk's pipe is read by `cat` once they are done.
 */
function beside(walk: readonly string[], others: readonly string[]): string[] {
  if (walk.length === 0) return [...others];
  return [
    `{ _wo=$({ ${walk.join('; ')}; } 3>&1; echo x); printf '%s' "\${_wo%x}"; } | { {`,
    ...others,
    '} </dev/null',
    'cat; }',
  ];
}

/**
 * Builds the read-only collector script for `factIds` (plus ALWAYS_COLLECTED). Run it with `sh -s` (script on
 * stdin) or save it and run `sh collector.sh > out.txt`; its stdout is what `parseCollectorOutput` reads.
 */
export function buildCollectorScript(factIds: readonly string[], opts: CollectorScriptOptions = {}): CollectorScript {
  const registry: FactRegistry = opts.registry ?? FACTS;
  const boundary = opts.boundary ?? newBoundary();
  if (!BOUNDARY_RE.test(boundary)) throw new FoureyesError('bad_input', 'collector boundary must be 32 to 128 lowercase hex digits');
  const tmo = opts.commandTimeoutSec ?? DEFAULT_COMMAND_TIMEOUT_SEC;
  if (!Number.isInteger(tmo) || tmo < 0 || tmo > 86_400) {
    throw new FoureyesError('bad_input', `command timeout must be a whole number of seconds (0 to 86400), got ${tmo}`);
  }
  const sudoReads = opts.sudoReads === true;
  const ids = resolveFactIds(sudoReads && inRegistry(registry, 'sudo.rules') ? ['sudo.rules', ...factIds] : factIds, registry);

  const header = [
    '#!/bin/sh',
    `# Foureyes collector, format ${COLLECTOR_FORMAT_VERSION}.`,
    '# Read-only: it prints facts about this host to stdout and writes nothing on it (no files, no temp files).',
    '# Run it as root for complete results, e.g.:  sudo sh collector.sh > collector-output.txt',
    ...(sudoReads
      ? ['# Run as another user, it reads what that user may not through `sudo -n`, only with commands that', '# `sudo -n -l` says the sudo rules allow for that exact command line (the sudo log records each).']
      : []),
    '# Every value read from this host is printed base64-encoded between marker lines.',
    '# Facts gathered:',
    ...ids.map((id) => `#   ${id}: ${oneLine((registry[id] as FactDef).description)}`),
  ];
  const pre = preScan(ids, registry);
  const main = [
    '_main() {',
    '  _init',
    `  printf '%s ${PREAMBLE_TAG} ${COLLECTOR_FORMAT_VERSION} %s %s\\n' "$B" "$E" ${shQuote(ids.join(','))}`,
    '  t=$(date +%s 2>/dev/null)',
    `  case $t in ''|*[!0-9]*) ;; *) printf '%s clock %s\\n' "$B" "$t" ;; esac`,
    '  _sinit',
    ...beside(walkCall(ids, registry), [
      ...pre.calls,
      ...ids.flatMap((id) => {
        const call = factCall(id, registry[id] as FactDef);
        if (call === undefined) return [];
        const pk = pre.numbers.get(id);
        return [pk === undefined ? call : `_P=${pk}; ${call}; _P=`];
      }),
    ]).map((line) => `  ${line}`),
    `  printf '%s done\\n' "$B"`,
    '}',
    // The whole script is parsed before _main runs, and _main's stdin is /dev/null: nothing can consume the
    // rest of a script that arrives on stdin.
    '_main 3>&1 </dev/null',
  ];
  const script = [...header, `B=${boundary}`, `TMO=${tmo}`, `SR=${sudoReads ? 1 : 0}`, SCRIPT_LIB, SUDO_LIB, ...main, ''].join('\n');
  return { script, boundary, factIds: ids };
}
