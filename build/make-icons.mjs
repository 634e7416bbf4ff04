// Draws the application icon (four eyes on a dark rounded square) and writes it as PNG in the sizes packaging
// needs: build/icon.png (512, source for the Windows and macOS icon sets) and build/icons/<n>x<n>.png (Linux).
// Pure Node (zlib), deterministic: running it again gives the same bytes. `node build/make-icons.mjs`
import { Buffer } from 'node:buffer';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** RGBA pixels (size*size*4) -> PNG bytes (8-bit RGBA, no interlace). */
export function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const BG = [30, 31, 34];
const EYE = [236, 239, 244];
const IRIS = [46, 160, 67];
const PUPIL = [16, 17, 19];

/** Colour and coverage at a point in unit coordinates (0..1). */
function sample(x, y) {
  // Rounded square, corner radius 0.18, margin 0.04.
  const m = 0.04;
  const r = 0.18;
  const cx = Math.min(Math.max(x, m + r), 1 - m - r);
  const cy = Math.min(Math.max(y, m + r), 1 - m - r);
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return null;
  for (const ex of [0.3, 0.7]) {
    for (const ey of [0.3, 0.7]) {
      const d2 = (x - ex) ** 2 + (y - ey) ** 2;
      if (d2 < 0.045 ** 2) return PUPIL;
      if (d2 < 0.085 ** 2) return IRIS;
      if (d2 < 0.15 ** 2) return EYE;
    }
  }
  return BG;
}

/** Render with 4x4 supersampling for smooth edges. */
export function renderIcon(size) {
  const px = Buffer.alloc(size * size * 4);
  const ss = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const c = sample((x + (sx + 0.5) / ss) / size, (y + (sy + 0.5) / ss) / size);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          a += 1;
        }
      }
      const i = (y * size + x) * 4;
      if (a > 0) {
        px[i] = Math.round(r / a);
        px[i + 1] = Math.round(g / a);
        px[i + 2] = Math.round(b / a);
      }
      px[i + 3] = Math.round((a / (ss * ss)) * 255);
    }
  }
  return encodePng(size, px);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  mkdirSync(path.join(here, 'icons'), { recursive: true });
  const big = renderIcon(512);
  writeFileSync(path.join(here, 'icon.png'), big);
  writeFileSync(path.join(here, 'icons', '512x512.png'), big);
  writeFileSync(path.join(here, 'icons', '256x256.png'), renderIcon(256));
  process.stdout.write('icons written: build/icon.png, build/icons/512x512.png, build/icons/256x256.png\n');
}
