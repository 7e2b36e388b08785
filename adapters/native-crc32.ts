/**
 * Installs a runtime's native CRC-32 for event-stream frames, but only after it proved to be
 * zlib's CRC-32 on this runtime: the check value, a continuation from a previous CRC over a view
 * at an odd offset, and an empty input.
 */

import { crc32Table, setCrc32Implementation } from '../core/index.js';

export type NativeCrc32 = (data: Uint8Array, previous?: number) => number;

export function agreesWithZlib(native: NativeCrc32): boolean {
  try {
    const check = new Uint8Array([0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39]);
    const block = new Uint8Array(1031);
    for (let i = 0; i < block.length; i++) block[i] = (i * 131 + 7) & 0xff;
    const view = block.subarray(5, 1029);
    return (
      native(check) >>> 0 === 0xcbf43926 &&
      native(view, 0x1234abcd) >>> 0 === crc32Table(view, 0x1234abcd) &&
      native(new Uint8Array(0), 0xdeadbeef) >>> 0 === 0xdeadbeef
    );
  } catch {
    return false;
  }
}

/** Uses `native` for frames when it agrees with zlib; false (and nothing changed) otherwise. */
export function installNativeCrc32(native: NativeCrc32 | undefined): boolean {
  if (typeof native !== 'function' || !agreesWithZlib(native)) return false;
  setCrc32Implementation((data, previous) => native(data, previous ?? 0) >>> 0);
  return true;
}
