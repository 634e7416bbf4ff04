/**
 * A user's file as text: UTF-8 only. Invalid bytes would silently become U+FFFD in names and addresses (another
 * host than the one written); the file is refused instead, naming the line and column of the first bad byte.
 */
import { FoureyesError } from '../../shared/model/errors.js';

const strict = new TextDecoder('utf-8', { fatal: true });

const isContinuation = (b: number | undefined): boolean => b !== undefined && (b & 0xc0) === 0x80;

/** ... the bad sequence starts at its lead byte, or before `i` when what precedes it was left incomplete. */
function sequenceStart(bytes: Buffer, from: number, i: number): number {
  let j = i;
  while (j > from && isContinuation(bytes[j])) j--;
  try {
    strict.decode(bytes.subarray(from, j));
    return j;
  } catch {
    let k = j - 1;
    while (k > from && isContinuation(bytes[k])) k--;
    return k;
  }
}

/** The first byte offset where `bytes` stops being valid UTF-8, or -1. */
function firstInvalid(bytes: Buffer): number {
  // Decode line by line only to find the spot; the whole file decoded without error is the common case.
  let at = 0;
  while (at < bytes.length) {
    let end = bytes.indexOf(0x0a, at);
    if (end < 0) end = bytes.length;
    try {
      strict.decode(bytes.subarray(at, end));
    } catch {
      for (let i = at; i < end; i++) {
        // The shortest prefix that fails to decode ends at the byte where the error shows ...
        try {
          strict.decode(bytes.subarray(at, i + 1), { stream: true });
        } catch {
          return sequenceStart(bytes, at, i);
        }
      }
      return sequenceStart(bytes, at, end);
    }
    at = end + 1;
  }
  return -1;
}

/** `bytes` as text, or a `bad_input` error "<file>:<line>: not UTF-8 text (byte 0xff at column 7) …". */
export function decodeUserFile(bytes: Buffer, file: string): string {
  try {
    return strict.decode(bytes);
  } catch {
    const bad = Math.max(0, firstInvalid(bytes));
    const before = bytes.subarray(0, bad);
    let line = 1;
    for (const b of before) if (b === 0x0a) line++;
    const column = bad - (before.lastIndexOf(0x0a) + 1) + 1;
    const hex = (bytes[bad] ?? 0).toString(16).padStart(2, '0');
    throw new FoureyesError('bad_input', `${file}:${line}: not UTF-8 text (byte 0x${hex} at column ${column}); save the file as UTF-8`, { file, line, column });
  }
}
