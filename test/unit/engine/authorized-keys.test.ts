import { describe, expect, it } from 'vitest';
import { keysOwner, parseAuthorizedKeys } from '../../../main/engine/parsers/authorized-keys.js';

// Public halves of keys made with ssh-keygen (-t rsa -b 1024, -t rsa -b 3072, -t dsa) for these tests.
const RSA1024 = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDij1zTo4Ifgpb1ZhWyHtFzpGxzrTp85kbl4IR5rswVLDVcZC8Eu16Gx7XxxXlk6PDnREbIe7XDZkUkJjuNdpMSE+FJmrvquSHUfgBBvAZrmnyf6Z7PxDWfu++PFaUmjyuSvi4gxdB4Hw6yDK9O3P3rt76zYQELn5zKCXs86GlD3Q== old@laptop';
const RSA3072 = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDCixp5RcW8IxxEqVK54EFuLpc8Qy+5OTMTO2hPwCdwNkhyx0Qu1v44ydMpKKOzuajQarch0hUG/2bgLlMIlD2KDSDCpV7rrxUeacDA/0f1cGxxvHLGfUo89yOM4IWLjOeYvav5lzZ4FWvf6VJVLVO+oX4w4S2WPvVmkKWeZP+50FLSemLblSaBv675y68ulrJmpK5qlaVhw8u+M/o6Usgvr+ixIHkN2XcasRurCcoKpJD97VGXwrTO0d/MVUcVdZO7bdeapgpd5kShOGUDzpr6uTSAIC+EjgjSnZvsmsCWQVX4nzhAEgO+hLn03RYo1ZABTCPXDnI1y6oBBXydtkn87heM9RzHnXTA+cprJFiQw4iUP6zO4AN6NbXBiN1swlWhfGsv0dqmzKvbFA4xzQ/QglFf2h/ghO8mbYSCpOifUVWmJKTtA0fM66Q/GMP72netVOhmbVWErRH75sTEOAb8me6i+THGnEmPU0vr+OyJBH/1daDnqkDutUOS3vhddQs= ops@admin';
const DSA = 'ssh-dss AAAAB3NzaC1kc3MAAACBAP3l4W+iTP4Hp9kH04r+BQUGGhJjK3rmy5hmhSDwasV4VWaUMH76hZK5mWGyUdahdrzAi6kOxBZVzxK3UHfQwavFUWUXVKjk6uGlBLyvGpwtrZxs9Sxp2AUfUO6mY/kqbAGpTvmcjz6785oB2x0JB/YfgyZyelYJKKy4DD3X0QJ7AAAAFQDTP53p3vvWh5PNr0bCIehhfOGY6QAAAIAMOWb91m8I6L4qlyeuc8C44WDrbZBumN+zXTdOqhwxVMEfXIrgMFixhUkYwwYfWy4ecA/7RKUC6HNjIDlZ8WFvNQH1gcNXnhk9hGXXmSwTX5cfKcmeT06MW9U1DZJh8kkAPSViNgFVVfu6zNxt/Cn2AhPmRMHEm80I1g1pW23QqAAAAIEA6AeLZBKFD81qKU57Fe2n7Sg9ACl4JEmjFxtwFFB4F/YO2ag/NoSGdtBtj2koxpAvc55zVQR8Y7CLWEKJSs2RAUZCgOImelFWIT/LmjXz9XUQOgAfU1FC0V4eU0m2hT3nvvfS8VVD16upcGxIoCK4npCEhX4pwa3jSmuS3Gnldu0= legacy@box';

describe('authorized_keys', () => {
  it('reads the RSA modulus size from the key blob', () => {
    const f = parseAuthorizedKeys(`${RSA1024}\n${RSA3072}\n`);
    expect(f.keys.map((k) => [k.type, k.bits, k.comment])).toEqual([
      ['ssh-rsa', 1024, 'old@laptop'],
      ['ssh-rsa', 3072, 'ops@admin'],
    ]);
  });

  it('splits off options, quoted values with spaces included', () => {
    const f = parseAuthorizedKeys(`from="10.0.0.0/8",command="echo a b" ${DSA}\n# comment\n\nnot a key line\n`);
    expect(f.keys).toHaveLength(1);
    expect(f.keys[0]).toMatchObject({ type: 'ssh-dss', bits: null, options: 'from="10.0.0.0/8",command="echo a b"', line: 1 });
    expect(f.malformed).toEqual([{ line: 4, text: 'not a key line' }]);
  });

  it('gives no size for a blob that does not decode as an RSA key', () => {
    expect(parseAuthorizedKeys('ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAINJK x\n').keys[0]?.bits).toBeNull();
    expect(parseAuthorizedKeys('ssh-rsa !!!! x\n').keys[0]?.bits).toBeNull();
  });

  it('names the account a file belongs to from the homes in passwd', () => {
    const homes = new Map([['/home/bob', 'bob'], ['/root', 'root']]);
    expect(keysOwner('/home/bob/.ssh/authorized_keys', homes)).toBe('bob');
    expect(keysOwner('/root/.ssh/authorized_keys2', homes)).toBe('root');
    expect(keysOwner('/etc/ssh/authorized_keys/alice', homes)).toBe('alice');
    expect(keysOwner('/home/nobody-here/.ssh/authorized_keys', homes)).toBeNull();
  });
});
