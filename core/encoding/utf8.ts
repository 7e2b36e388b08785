/**
 * UTF-8 without TextEncoder/TextDecoder: the core must run in bare ES2022 engines (QuickJS).
 * Lone surrogates encode as U+FFFD, as TextEncoder does; malformed input decodes to U+FFFD per
 * maximal subpart, as TextDecoder does (WHATWG Encoding).
 */

/** Writes to it are dropped (typed arrays ignore writes past their end): `utf8Write` into it only measures. */
const NOWHERE = new Uint8Array(0);

/** Number of UTF-8 bytes `s` encodes to. */
export function utf8Length(s: string): number {
  return utf8Write(s, NOWHERE, 0);
}

/** Encode `s` into `out` at `offset`; returns the offset after the last byte written. */
export function utf8Write(s: string, out: Uint8Array, offset: number): number {
  let o = offset;
  for (let i = 0; i < s.length; i++) {
    let c = s.codePointAt(i)!;
    if (c < 0x80) {
      out[o++] = c;
      continue;
    }
    if (c > 0xffff)
      i++; // a surrogate pair: two UTF-16 units
    else if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate
    // n continuation bytes of 6 bits each after a lead byte of n + 1 high 1-bits.
    let n = c < 0x800 ? 1 : c < 0x10000 ? 2 : 3;
    out[o++] = (0xff << (7 - n)) | (c >> (6 * n)); // a Uint8Array keeps the low 8 bits
    while (n--) out[o++] = 0x80 | ((c >> (6 * n)) & 63);
  }
  return o;
}

/** UTF-8 bytes of `s`. */
export function utf8Encode(s: string): Uint8Array {
  const out = new Uint8Array(utf8Length(s));
  utf8Write(s, out, 0);
  return out;
}

/** UTF-16 code units gathered before they become a string piece (one call per piece, not per character). */
const UNITS = new Uint16Array(4096);

/** Decode `bytes[start, end)` as UTF-8 (replacement characters for malformed sequences). */
export function utf8Decode(bytes: Uint8Array, start = 0, end: number = bytes.length): string {
  let s = '';
  let n = 0;
  let i = start;
  while (i < end) {
    // Room for the two units of a code point above U+FFFF.
    if (n > UNITS.length - 2) {
      s += String.fromCharCode.apply(null, UNITS.subarray(0, n) as unknown as number[]);
      n = 0;
    }
    const b = bytes[i++]!;
    if (b < 0x80) {
      UNITS[n++] = b;
      continue;
    }
    // Valid lead bytes (WHATWG): C2..DF take 1 continuation byte, E0..EF 2, F0..F4 3 (others
    // none: invalid); E0, ED, F0 and F4 narrow the range of the first one (no overlongs,
    // surrogates or code points above 10FFFF).
    const need = b < 0xc2 ? 0 : b < 0xe0 ? 1 : b < 0xf0 ? 2 : b < 0xf5 ? 3 : 0;
    let lower = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    let upper = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    let cp = b & (0x3f >> need);
    let k = 0;
    for (; k < need && i < end; k++, i++) {
      const c = bytes[i]!;
      if (c < lower || c > upper) break;
      cp = (cp << 6) | (c & 0x3f);
      lower = 0x80;
      upper = 0xbf;
    }
    // A malformed sequence becomes one U+FFFD for the bytes consumed (its maximal subpart).
    if (need === 0 || k < need) UNITS[n++] = 0xfffd;
    else if (cp < 0x10000) UNITS[n++] = cp;
    else {
      UNITS[n++] = 0xd800 + ((cp - 0x10000) >> 10);
      UNITS[n++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
    }
  }
  return s + String.fromCharCode.apply(null, UNITS.subarray(0, n) as unknown as number[]);
}
