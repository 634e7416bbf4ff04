import { LocalTransport } from '../../../main/transport/local.js';
import type { FactRegistry } from '../../../main/collector/protocol.js';
import { buildCollectorScript } from '../../../main/collector/script.js';

/** Writes collector-format output by hand, for damage cases a real run never produces. */
export class Synth {
  private readonly lines: string[] = [];
  constructor(
    readonly boundary: string,
    readonly ids: string[],
  ) {
    this.lines.push(`${boundary} foureyes-collector 1 b64 ${ids.join(',')}`);
  }
  h(...tokens: (string | number)[]): this {
    this.lines.push([this.boundary, ...tokens].join(' '));
    return this;
  }
  data(bytes: Buffer | string): this {
    const b64 = Buffer.from(bytes).toString('base64');
    for (let i = 0; i < b64.length; i += 76) this.lines.push(b64.slice(i, i + 76));
    return this;
  }
  raw(line: string): this {
    this.lines.push(line);
    return this;
  }
  command(id: string, stdout: string, rc = 0, stderr = ''): this {
    this.h('begin', id, 'command').h('stdout', id).data(stdout).h('stderr', id).data(stderr).h('rc', id, rc);
    return this.h('end', id, 0);
  }
  file(id: string, path: string, content: string): this {
    this.h('begin', id, 'file').h('entry', id).data(path).h('stat', id).data(`81a4 644 0 0 ${Buffer.byteLength(content)}\nroot\nroot\n`);
    return this.h('content', id).data(content).h('end', id, 0);
  }
  done(): this {
    return this.h('done');
  }
  buffer(): Buffer {
    return Buffer.from(this.lines.join('\n') + '\n', 'latin1');
  }
}

export const B = 'f'.repeat(32);
export const OTHER = 'e'.repeat(32);

/** A small synthetic output: uid 0, os-release, one more command; complete. */
export function smallOutput(): Buffer {
  return new Synth(B, ['host.id', 'host.os_release', 'proc.list'])
    .command('host.id', '0\nroot\nhost\nLinux 6 x86_64\n')
    .file('host.os_release', '/etc/os-release', 'ID=debian\n')
    .command('proc.list', 'root 1 0 init /sbin/init\n')
    .done()
    .buffer();
}

/** A real collector output from this machine (dash), small enough to mutate at every offset. */
export async function realOutput(
  ids: string[] = ['accounts.group', 'sysctl.kernel'],
  registry?: FactRegistry,
): Promise<{ output: Buffer; boundary: string; ids: string[] }> {
  const s = buildCollectorScript(ids, registry ? { registry } : {});
  const run = await new LocalTransport().runScript(s.script, { deadlineMs: 20_000, maxBytes: 16 * 1024 * 1024 });
  return { output: run.stdout, boundary: s.boundary, ids: s.factIds };
}
