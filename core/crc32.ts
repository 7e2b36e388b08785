/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), identical to zlib's `crc32`.
 * Slice-by-8: eight 256-entry tables let the loop consume 8 bytes per iteration.
 *
 * Runtimes with a native CRC (node:zlib, Bun.hash) plug it in through `setCrc32Implementation`,
 * so core/ never imports anything runtime-specific.
 */

export type Crc32Function = (data: Uint8Array, previous?: number) => number;

const TABLES: Uint32Array = /* @__PURE__ */ buildTables();

function buildTables(): Uint32Array {
  const t = new Uint32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n]!;
    for (let s = 1; s < 8; s++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[s * 256 + n] = c;
    }
  }
  return t;
}

/** The table-driven CRC-32, always available. `previous` continues an earlier CRC (incremental). */
export function crc32Table(data: Uint8Array, previous = 0): number {
  const t = TABLES;
  let crc = ~previous;
  let i = 0;
  const len = data.length;
  const end8 = len - (len & 7);
  while (i < end8) {
    const a = (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) ^ crc;
    crc =
      t[1792 + (a & 0xff)]! ^
      t[1536 + ((a >>> 8) & 0xff)]! ^
      t[1280 + ((a >>> 16) & 0xff)]! ^
      t[1024 + (a >>> 24)]! ^
      t[768 + data[i + 4]!]! ^
      t[512 + data[i + 5]!]! ^
      t[256 + data[i + 6]!]! ^
      t[data[i + 7]!]!;
    i += 8;
  }
  while (i < len) crc = t[(crc ^ data[i++]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

let impl: Crc32Function = crc32Table;

/** Unsigned CRC-32 of `data`, continuing from `previous` (default 0). */
export function crc32(data: Uint8Array, previous?: number): number {
  return impl(data, previous);
}

/**
 * Replace the implementation behind `crc32` (adapters pass the runtime's native one; `null`
 * restores the table). The function must return the same unsigned value as zlib's crc32.
 */
export function setCrc32Implementation(fn: Crc32Function | null): void {
  impl = fn ?? crc32Table;
}
