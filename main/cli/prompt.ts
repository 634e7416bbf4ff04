import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/**
 * Asks for a secret on the terminal without echoing it. Returns undefined when stdin is not a terminal (CI, pipes):
 * then the caller reports that no secret was available rather than hanging.
 */
export function promptSecret(question: string): Promise<string | undefined> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return Promise.resolve(undefined);
  let muted = false;
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (!muted) process.stderr.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input: process.stdin, output: out, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

/**
 * One prompt per purpose and host at a time; an answer is reused for the rest of the run. sudo passwords are per
 * host: `sudo` answers only for the host it names; any other host's sudo is asked on the terminal (or gets none).
 */
export function promptingSecrets(sudo: ReadonlyMap<string, string>, fixed: Partial<Record<'password' | 'passphrase', string>>) {
  const asked = new Map<string, Promise<string | undefined>>();
  let queue: Promise<unknown> = Promise.resolve();
  const labels = { password: 'SSH password', passphrase: 'key passphrase', sudo: 'sudo password' } as const;
  return {
    get(purpose: 'password' | 'passphrase' | 'sudo', hostName: string): Promise<string | undefined> {
      const given = purpose === 'sudo' ? sudo.get(hostName) : fixed[purpose];
      if (given !== undefined) return Promise.resolve(given);
      const key = `${purpose}\0${purpose === 'passphrase' ? '' : hostName}`;
      let p = asked.get(key);
      if (!p) {
        p = queue.then(() => promptSecret(`${labels[purpose]} for ${hostName}: `));
        queue = p;
        asked.set(key, p);
      }
      return p;
    },
  };
}
