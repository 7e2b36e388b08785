/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), identical to zlib's `crc32`.
 * Slice-by-16: sixteen 256-entry tables let the loop consume 16 bytes per iteration, read as
 * 32-bit words through an Int32Array view, which is what makes the JS version reach about a
 * third to half of native zlib speed.
 *
 * Runtimes with a native CRC (node:zlib, Bun.hash) plug it in through `setCrc32Implementation`,
 * so core/ never imports anything runtime-specific.
 */

import { LITTLE_ENDIAN } from './endian.js';

export type Crc32Function = (data: Uint8Array, previous?: number) => number;

// Int32Array, not Uint32Array: V8 keeps int32 table loads in registers instead of boxing
// values above 2^31. Table s (entries s*256..s*256+255) maps a byte to its CRC contribution
// after s further zero bytes; table 0 is the classic byte-at-a-time table.
const TABLES: Int32Array = /* @__PURE__ */ (() => {
  const t = new Int32Array(4096);
  for (let n = 0; n < 4096; n++) {
    let c = n < 256 ? n : t[n - 256]!;
    if (n < 256) for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    else c = t[c & 0xff]! ^ (c >>> 8);
    t[n] = c;
  }
  return t;
})();

/** Below this length the view allocation of the word path costs more than it saves. */
const WORD_PATH_MIN = 256;

/** The table-driven CRC-32, always available. `previous` continues an earlier CRC (incremental). */
export function crc32Table(data: Uint8Array, previous = 0): number {
  const t = TABLES;
  const len = data.length;
  let crc = ~previous;
  let i = 0;
  // The word path reads the bytes of an Int32Array as little-endian; a big-endian engine takes the
  // byte-at-a-time loop, correct but slower.
  if (len >= WORD_PATH_MIN && LITTLE_ENDIAN) {
    // Bytes up to a 4-byte boundary of the underlying buffer, then whole 16-byte blocks as words.
    const base = data.byteOffset;
    while (((base + i) & 3) !== 0) crc = t[(crc ^ data[i++]!) & 0xff]! ^ (crc >>> 8);
    const blocks = (len - i) >>> 4;
    const w = new Int32Array(data.buffer, base + i, blocks << 2);
    for (let j = 0; j < w.length; j += 4) {
      const a = w[j]! ^ crc;
      const b = w[j + 1]!;
      const c = w[j + 2]!;
      const d = w[j + 3]!;
      crc =
        t[3840 + (a & 0xff)]! ^
        t[3584 + ((a >>> 8) & 0xff)]! ^
        t[3328 + ((a >>> 16) & 0xff)]! ^
        t[3072 + (a >>> 24)]! ^
        t[2816 + (b & 0xff)]! ^
        t[2560 + ((b >>> 8) & 0xff)]! ^
        t[2304 + ((b >>> 16) & 0xff)]! ^
        t[2048 + (b >>> 24)]! ^
        t[1792 + (c & 0xff)]! ^
        t[1536 + ((c >>> 8) & 0xff)]! ^
        t[1280 + ((c >>> 16) & 0xff)]! ^
        t[1024 + (c >>> 24)]! ^
        t[768 + (d & 0xff)]! ^
        t[512 + ((d >>> 8) & 0xff)]! ^
        t[256 + ((d >>> 16) & 0xff)]! ^
        t[d >>> 24]!;
    }
    i += blocks << 4;
  }
  while (i < len) crc = t[(crc ^ data[i++]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

/**
 * CRC-32 of the four big-endian bytes of `value`, continuing from `previous`: the event-stream
 * prelude is two such words, so codecs checksum it without a view or a native call.
 */
export function crc32Uint32BE(value: number, previous = 0): number {
  const t = TABLES;
  let crc = ~previous;
  crc = t[(crc ^ (value >>> 24)) & 0xff]! ^ (crc >>> 8);
  crc = t[(crc ^ (value >>> 16)) & 0xff]! ^ (crc >>> 8);
  crc = t[(crc ^ (value >>> 8)) & 0xff]! ^ (crc >>> 8);
  crc = t[(crc ^ value) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

let impl: Crc32Function = crc32Table;

/** Unsigned CRC-32 of `data`, continuing from `previous` (default 0). */
export function crc32(data: Uint8Array, previous?: number): number {
  return impl(data, previous);
}

/**
 * Replace the implementation behind `crc32` (adapters pass the runtime's native one; `null`
 * restores the table). The function must return the same unsigned value as zlib's crc32, e.g.
 * `setCrc32Implementation((d, p) => zlib.crc32(d, p ?? 0))` on Node 22+.
 */
export function setCrc32Implementation(fn: Crc32Function | null): void {
  impl = fn ?? crc32Table;
}
