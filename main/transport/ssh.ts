import type { ClientChannel } from 'ssh2';
import type { TargetIdentity } from '../../shared/model/identity.js';
import type { SshTarget } from '../../shared/model/target.js';
import { FoureyesError } from '../../shared/model/errors.js';
import { decodeTarget, textForm } from '../../shared/text/target-text.js';
import { eitherSignal } from '../ssh/abort.js';
import { connectTarget, type ConnectOptions } from '../ssh/connect.js';
import { openExec, stopChannel } from '../ssh/exec.js';
import type { ServerGreeting } from '../ssh/greeting.js';
import type { SshSession } from '../ssh/session.js';
import { runWithPrivilege, type Launcher, type RemoteProcess } from '../ssh/sudo.js';
import { withPartialOutput } from './partial.js';
import type { RunScriptOptions, ScriptRun, SecretProvider, Transport, TransportStats } from './types.js';

const STDERR_CAP = 1024 * 1024;

export interface SshTransportOptions extends ConnectOptions {
  /** The sudo program on the target (default `sudo`). */
  sudoCommand?: string;
  /** Check whether the login user is root before trying sudo (default true; tests turn it off). */
  rootCheck?: boolean;
}

/** An ssh2 exec channel seen as a RemoteProcess. */
function channelProcess(ch: ClientChannel, heard: () => void): RemoteProcess {
  let exitCode: number | null = null;
  ch.on('exit', (code: number | null) => {
    exitCode = typeof code === 'number' ? code : null;
  });
  // A run may end stdin while the channel is closing; a late write error must not surface as unhandled.
  ch.on('error', () => undefined);
  return {
    onStdout: (fn) =>
      void ch.on('data', (c: Buffer) => {
        heard();
        fn(c);
      }),
    onStderr: (fn) =>
      void ch.stderr.on('data', (c: Buffer) => {
        heard();
        fn(c);
      }),
    onClose: (fn) => void ch.once('close', () => fn(exitCode)),
    write: (d) => void ch.write(d),
    end: (d) => void (d === undefined ? ch.end() : ch.end(d)),
    stop: () => stopChannel(ch),
  };
}

/**
 * Runs the collector over SSH: one connection (through the target's jump hosts), the script on stdin of `sh -s`,
 * with root through sudo when the target's privilege policy allows (at most two exec channels per run; see
 * ssh/sudo.ts). Connects on first use, or explicitly with connect() to see host key acceptances early.
 *
 * Cancellation: `opts.signal` (given at construction) and the signal of a connect() or runScript() call each stop
 * whatever is under way (connection set-up, sudo, the script) with a `cancelled` error; after an abort close()
 * ends the connections at once instead of waiting for the peer's goodbye.
 */
export class SshTransport implements Transport {
  readonly kind = 'ssh' as const;
  /** Restricted sudo reads follow the target's privilege policy: never with 'none'. */
  get sudoReads(): boolean {
    return this.target.privilege !== 'none';
  }
  private session: SshSession | undefined;
  private connecting: Promise<SshSession> | undefined;
  /** A set-up started by prepare() that no connect() has taken yet, and what stops it. */
  private prepared: { session: Promise<SshSession>; stop: AbortController; dialed: Promise<void> } | undefined;
  /** Every signal a call was made with: after any of them fired, close() does not wait for the peer. */
  private readonly signals = new Set<AbortSignal>();
  /** The target's identification line and banner, as far as the connection got. */
  private readonly greeting: ServerGreeting = {};
  private lastOutput: number | undefined;
  private readonly heard = (): void => {
    this.lastOutput = Date.now();
  };

  constructor(
    readonly target: SshTarget,
    private readonly secrets: SecretProvider,
    private readonly opts: SshTransportOptions = {},
  ) {}

  /**
   * Connects (once); the session carries host key decisions and accept-new records. `signal` (with the one given
   * at construction) cancels the set-up; calls made while a connection is under way share it, and its signal.
   */
  connect(signal?: AbortSignal): Promise<SshSession> {
    const prepared = this.prepared;
    if (prepared) {
      this.prepared = undefined;
      if (signal) {
        this.signals.add(signal);
        if (signal.aborted) prepared.stop.abort();
        else signal.addEventListener('abort', () => prepared.stop.abort(), { once: true });
      }
      return prepared.session;
    }
    return this.start(signal);
  }

  private start(signal: AbortSignal | undefined, onDial?: () => void): Promise<SshSession> {
    const sig = eitherSignal(this.opts.signal, signal);
    if (sig) this.signals.add(sig);
    this.connecting ??= connectTarget(this.target, this.secrets, {
      ...this.opts,
      greeting: this.greeting,
      ...(sig ? { signal: sig } : {}),
      ...(onDial ? { onDial } : {}),
    }).then(
      (s) => (this.session = s),
      (e: unknown) => {
        this.connecting = undefined;
        throw e;
      },
    );
    return this.connecting;
  }

  /**
   * Starts connecting now, before anyone calls connect() (the command line opens its workspace meanwhile). The next
   * connect() takes this set-up with its outcome, a failure included (not tried again), and its signal stops the
   * set-up while it is under way; close() stops one that no connect() took. Resolves once the set-up waits on the
   * network (the first TCP connection is being opened) or has ended, whichever comes first.
   */
  prepare(): Promise<void> {
    if (this.prepared) return this.prepared.dialed;
    if (this.connecting) return Promise.resolve();
    const stop = new AbortController();
    let dial = (): void => undefined;
    const dialed = new Promise<void>((resolve) => (dial = resolve));
    const session = this.start(stop.signal, () => dial());
    // Its outcome is read by the connect() that takes it (or dropped by close()): never an unhandled rejection.
    session.then(dial, dial);
    this.prepared = { session, stop, dialed };
    return dialed;
  }

  async runScript(script: string, opts: RunScriptOptions): Promise<ScriptRun> {
    const started = Date.now();
    const session = await this.connect(opts.signal);
    const sig = eitherSignal(this.opts.signal, opts.signal);
    const launch: Launcher = async (command, o) => channelProcess(await openExec(session, command, { ...o, ...(sig ? { signal: sig } : {}) }), this.heard);
    const run = await runWithPrivilege(launch, script, {
      privilege: this.target.privilege,
      deadlineMs: Math.max(1, opts.deadlineMs - (Date.now() - started)),
      maxStdout: opts.maxBytes,
      maxStderr: Math.min(opts.maxBytes, STDERR_CAP),
      ...(sig ? { signal: sig } : {}),
      sudoPassword: () => this.secrets.get('sudo', this.target.name),
      label: session.label,
      ...(this.opts.sudoCommand ? { sudoCommand: this.opts.sudoCommand } : {}),
      ...(this.opts.rootCheck === false ? { rootCheck: false } : {}),
    });
    // A channel that closed without an exit status may be a connection that dropped: ssh2 closes the channels
    // first and the connection just after. A lost connection fails the run; what arrived is kept with the error.
    if (run.exitCode === null) {
      await new Promise((r) => setImmediate(r));
      if (session.closed) {
        throw withPartialOutput(
          new FoureyesError('ssh_error', `${session.label}: connection lost during the collection, after ${run.stdout.length} bytes of output`),
          run.stdout,
        );
      }
    }
    return run;
  }

  /**
   * What the target said while connecting (kept when the connection then failed), in its text form: the
   * identification line byte for byte (read as latin1), the banner as ssh2 decoded it.
   */
  identity(): TargetIdentity {
    const g = this.greeting;
    return {
      ...(g.ident !== undefined ? { sshServer: textForm(decodeTarget(Buffer.from(g.ident, 'latin1'))) } : {}),
      ...(g.banner !== undefined ? { sshBanner: textForm(g.banner, 'block') } : {}),
      ...(g.bannerTruncated ? { sshBannerTruncated: true } : {}),
    };
  }

  lastOutputAt(): number | undefined {
    return this.lastOutput;
  }

  stats(): TransportStats {
    return this.session ? this.session.stats() : { connections: 0, execChannels: 0 };
  }

  async close(): Promise<void> {
    this.prepared?.stop.abort();
    this.prepared = undefined;
    const s = this.session ?? (await this.connecting?.catch(() => undefined));
    if (!s) return;
    if ([...this.signals].some((x) => x.aborted)) await s.destroy();
    else await s.close();
  }
}
