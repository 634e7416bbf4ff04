/**
 * A stand-in Electron distribution for electron-builder's `electronDist`: the real binary cannot be downloaded here,
 * and packing needs only a folder to copy and an `electron` executable whose fuse wire @electron/fuses can flip.
 *
 * The fuse wire is laid out as Electron's build/fuses/build.py emits it into the binary: the 32-character sentinel,
 * one raw byte for the wire version (1), one raw byte for the number of fuses, then one ASCII byte per fuse ('0' off,
 * '1' on, 'r' removed) in FuseV1Options order.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The sentinel @electron/fuses searches for (its dist/constants.js SENTINEL). */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
export const FUSE_WIRE_VERSION = 1;

/** Fuse indices (FuseV1Options order). @electron/fuses 1.8 names the first eight; Electron 45 has a ninth. */
export const FUSE = {
  RunAsNode: 0,
  EnableCookieEncryption: 1,
  EnableNodeOptionsEnvironmentVariable: 2,
  EnableNodeCliInspectArguments: 3,
  EnableEmbeddedAsarIntegrityValidation: 4,
  OnlyLoadAppFromAsar: 5,
  LoadBrowserProcessSpecificV8Snapshot: 6,
  GrantFileProtocolExtraPrivileges: 7,
  WasmTrapHandlers: 8,
} as const;
export type FuseName = keyof typeof FUSE;

/**
 * Electron 45's shipped fuse defaults (build/fuses/fuses.json5): run_as_node 1, cookie_encryption 0, node_options 1,
 * node_cli_inspect 1, embedded_asar_integrity_validation 0, only_load_app_from_asar 0,
 * load_browser_process_specific_v8_snapshot 0, grant_file_protocol_extra_privileges 1, wasm_trap_handlers 1.
 */
export const ELECTRON_45_DEFAULT_WIRE = '101100011';

export interface StandIn {
  /** The folder to pass as -c.electronDist. */
  dir: string;
  /** The bytes written as the `electron` executable. */
  binary: Buffer;
}

/**
 * Writes the stand-in distribution into `dir`: `electron` (a shell script that exits 0, carrying the fuse wire in a
 * comment line), Electron's LICENSE and version files and an empty resources/ folder, as in Electron's linux zip.
 */
export function writeStandInElectron(dir: string, wire = ELECTRON_45_DEFAULT_WIRE): StandIn {
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  const binary = Buffer.concat([
    Buffer.from(
      '#!/bin/sh\n# Stand-in for the Electron 45 binary; only its fuse wire is real:\n# ',
      'latin1',
    ),
    Buffer.from(FUSE_SENTINEL, 'latin1'),
    Buffer.from([FUSE_WIRE_VERSION, wire.length]),
    Buffer.from(wire, 'latin1'),
    Buffer.from('\nexit 0\n', 'latin1'),
  ]);
  const exe = path.join(dir, 'electron');
  writeFileSync(exe, binary);
  chmodSync(exe, 0o755);
  writeFileSync(path.join(dir, 'LICENSE'), 'Copyright (c) Electron contributors (stand-in)\n');
  writeFileSync(path.join(dir, 'version'), '45.5.0');
  return { dir, binary };
}

export interface FuseWire {
  /** Offset of the first fuse byte. */
  offset: number;
  version: number;
  /** One character per fuse: '0', '1' or 'r'. */
  states: string;
}

/** Reads the fuse wire from a binary the same way Electron and @electron/fuses locate it. */
export function readFuseWire(binary: Buffer): FuseWire {
  const at = binary.indexOf(FUSE_SENTINEL, 0, 'latin1');
  if (at < 0) throw new Error('fuse sentinel not found');
  const version = binary[at + FUSE_SENTINEL.length] ?? -1;
  const length = binary[at + FUSE_SENTINEL.length + 1] ?? 0;
  const offset = at + FUSE_SENTINEL.length + 2;
  return { offset, version, states: binary.subarray(offset, offset + length).toString('latin1') };
}
