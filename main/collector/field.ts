import type { Encoding } from './protocol.js';

/** Longest data line a genuine collector prints (base64 wraps at 76, od at 48); anything longer is corrupt. */
export const MAX_DATA_LINE = 4096;

const B64_LINE = /^[A-Za-z0-9+/]*={0,2}$/;
const HEX_LINE = /^[0-9a-f]*$/;
const B64_FULL = /^[A-Za-z0-9+/]*={0,2}$/;

/** The decoded bytes of one data field, with what went wrong on the way. */
export interface FieldData {
  bytes: Buffer;
  /** More bytes arrived than the field's cap allows (the extra was dropped). */
  overflow: boolean;
  /** Some data was not valid in the run's encoding (dropped; the field is unreliable). */
  invalid: boolean;
}

/**
 * Accumulates the encoded lines of one field up to a byte cap, then decodes. Memory is bounded by the cap whatever
 * arrives; each line is looked at once.
 */
export class FieldAccumulator {
  private readonly parts: string[] = [];
  private chars = 0;
  private readonly maxChars: number;
  private overflow = false;
  private invalid = false;

  constructor(
    private readonly encoding: Encoding,
    maxBytes: number,
  ) {
    // Enough encoded characters for maxBytes decoded bytes, rounded to whole encoding units.
    this.maxChars = encoding === 'b64' ? Math.ceil(maxBytes / 3) * 4 : maxBytes * 2;
  }

  /** `line` is one data line as latin1 text without its newline. */
  add(line: string): void {
    if (this.invalid) return;
    if (line.length > MAX_DATA_LINE) {
      this.invalid = true;
      return;
    }
    const text = this.encoding === 'b64' ? line.trim() : line.replace(/[ \t]+/g, '');
    if (text === '') return;
    if (!(this.encoding === 'b64' ? B64_LINE : HEX_LINE).test(text)) {
      this.invalid = true;
      return;
    }
    if (this.overflow) return;
    const room = this.maxChars - this.chars;
    if (text.length > room) {
      const unit = this.encoding === 'b64' ? 4 : 2;
      const keep = room - (room % unit);
      if (keep > 0) this.parts.push(text.slice(0, keep));
      this.chars += keep;
      this.overflow = true;
      return;
    }
    this.parts.push(text);
    this.chars += text.length;
  }

  finish(): FieldData {
    const text = this.parts.join('');
    let invalid = this.invalid;
    let bytes: Buffer;
    if (this.encoding === 'b64') {
      // Padding may only end the stream; a cut at the cap is on a 4-character unit.
      if (text.length % 4 !== 0 || !B64_FULL.test(text)) invalid = true;
      bytes = invalid ? Buffer.alloc(0) : Buffer.from(text, 'base64');
    } else {
      if (text.length % 2 !== 0) invalid = true;
      bytes = invalid ? Buffer.alloc(0) : Buffer.from(text, 'hex');
    }
    return { bytes, overflow: this.overflow, invalid };
  }
}
