/**
 * SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104), synchronous and dependency-free: the core
 * must sign in engines without WebCrypto or TextEncoder (QuickJS), and a synchronous signer keeps
 * `presignUrl` synchronous.
 *
 * Speed comes from the state in locals, one reused message buffer (padded in place, no per-call
 * block copies) and HMAC keys reduced once to their inner/outer midstates (`hmacState`), so signing
 * with a cached SigV4 key costs the message blocks plus one block, not four extra key blocks.
 */

import { utf8Encode, utf8Write } from '../encoding/utf8.js';

// FIPS 180-4 §4.2.2 and §5.3.3: K is the first 32 bits of the fractional parts of the cube roots
// of the first 64 primes, the initial hash value the same of the square roots of the first 8.
// Computed rather than written out; exported (internal) so test/sha256.test.ts can check them
// against the standard's table. Int32Array: V8 keeps int32 loads unboxed, and stores wrap modulo 2^32.
export const K: Int32Array = new Int32Array(64);
export const IV: Int32Array = new Int32Array(8);
for (let p = 2, n = 0; n < 64; p++) {
  let d = 2;
  while (p % d > 0) d++;
  if (d < p) continue; // not a prime
  if (n < 8) IV[n] = (Math.sqrt(p) % 1) * 2 ** 32;
  K[n++] = (Math.cbrt(p) % 1) * 2 ** 32;
}

const W = new Int32Array(64);
// The working state and the digest: reused, as typed-array allocations cost as much as a block.
const H = new Int32Array(8);
const OUT = new Uint8Array(32);
/** The message being hashed, padded in place; grown on demand and reused. */
let buf = new Uint8Array(1024);

/** Make room for an `n`-byte message and its padding. */
function reserve(n: number): void {
  if (buf.length < n + 72) buf = new Uint8Array((n + 72) * 2);
}

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** One 64-byte block of `m` at `off` into the state `h` (§6.2.2). */
function compress(h: Int32Array, m: Uint8Array, off: number): void {
  // biome-ignore format: the eight working variables of FIPS 180-4, on one line as the spec names them
  let a = h[0]!, b = h[1]!, c = h[2]!, d = h[3]!, e = h[4]!, f = h[5]!, g = h[6]!, hh = h[7]!;
  for (let i = 0; i < 16; i++) W[i] = (m[off++]! << 24) | (m[off++]! << 16) | (m[off++]! << 8) | m[off++]!;
  for (let i = 16; i < 64; i++) {
    const x = W[i - 15]!;
    const y = W[i - 2]!;
    W[i] = (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) + (rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10)) + W[i - 7]! + W[i - 16]!;
  }
  // 64 rounds, two per iteration. A round: T1 = h + Σ1(e) + Ch(e,f,g) + K + W; d += T1;
  // h = T1 + Σ0(a) + Maj(a,b,c) (Ch and Maj in their one-fewer-operation forms). The second round
  // reads the names shifted by one; two 4-cycles of moves then rename all eight for the next pair.
  // In V8 this runs within a few percent of a fully unrolled loop at a quarter of the code.
  // biome-ignore format: each 4-cycle of moves stays on its line
  for (let i = 0; i < 64; i += 2) {
    let t = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + (g ^ (e & (f ^ g))) + K[i]! + W[i]!) | 0;
    d = (d + t) | 0;
    hh = (t + (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (c & (a ^ b)))) | 0;
    t = (g + (rotr(d, 6) ^ rotr(d, 11) ^ rotr(d, 25)) + (f ^ (d & (e ^ f))) + K[i + 1]! + W[i + 1]!) | 0;
    c = (c + t) | 0;
    g = (t + (rotr(hh, 2) ^ rotr(hh, 13) ^ rotr(hh, 22)) + ((hh & a) ^ (b & (hh ^ a)))) | 0;
    t = a; a = g; g = e; e = c; c = t;
    t = b; b = hh; hh = f; f = d; d = t;
  }
  h[0]! += a;
  h[1]! += b;
  h[2]! += c;
  h[3]! += d;
  h[4]! += e;
  h[5]! += f;
  h[6]! += g;
  h[7]! += hh;
}

/** `s` as UTF-8 into `buf` at `o`; returns the end. SigV4 text is ASCII in practice: a tight loop. */
function writeString(s: string, o: number): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return utf8Write(s.slice(i), buf, o + i);
    buf[o + i] = c;
  }
  return o + s.length;
}

/**
 * SHA-256 of `data` (strings as UTF-8; a list of strings as their concatenation), starting from the
 * 8 words of `init` at `from` as if `prefix` bytes had already been hashed (HMAC midstates resume
 * after one 64-byte key block). Returns the shared `OUT`, valid until the next call.
 */
function digest(
  init: Int32Array,
  from: number,
  prefix: number,
  data: Uint8Array | string | readonly string[],
): Uint8Array {
  let n = 0;
  if (typeof data === 'string' || Array.isArray(data)) {
    const parts: readonly string[] = typeof data === 'string' ? [data] : data;
    for (const s of parts) n += s.length * 3;
    reserve(n);
    n = 0;
    for (const s of parts) n = writeString(s, n);
  } else {
    n = (data as Uint8Array).length;
    reserve(n);
    buf.set(data as Uint8Array);
  }
  // Padding (§5.1.1): 0x80, zeros up to 8 bytes short of a block, the length in bits (64-bit big-endian).
  const end = (n + 72) & ~63;
  buf.fill(0, n, end);
  buf[n] = 0x80;
  const bits = (n + prefix) * 8;
  for (let i = 0; i < 4; i++) {
    buf[end - 1 - i] = bits >>> (8 * i);
    buf[end - 5 - i] = (bits / 2 ** 32) >>> (8 * i);
  }
  for (let i = 0; i < 8; i++) H[i] = init[from + i]!;
  for (let off = 0; off < end; off += 64) compress(H, buf, off);
  for (let i = 0; i < 32; i++) OUT[i] = H[i >> 2]! >>> (24 - 8 * (i & 3));
  return OUT;
}

/** SHA-256 digest (32 bytes) of `data`; strings are hashed as UTF-8. */
export function sha256(data: Uint8Array | string): Uint8Array {
  return digest(IV, 0, 0, data).slice();
}

/**
 * SHA-256 of the UTF-8 concatenation of `parts` (internal): hashing the pieces skips joining them,
 * which costs more than the hashing. The result is shared: valid until the next hash.
 */
export function sha256Parts(parts: readonly string[]): Uint8Array {
  return digest(IV, 0, 0, parts);
}

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push((i + 256).toString(16).slice(1));

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!];
  return s;
}

/**
 * HMAC-SHA-256 key reduced to its two midstates (RFC 2104: the hashes of `key ^ ipad` and
 * `key ^ opad`, one block each): 16 words, inner state first. Holding this is as good as holding
 * the key, so treat it as secret (and `fill(0)` it when done).
 */
export function hmacState(key: Uint8Array | string): Int32Array {
  const raw = typeof key === 'string' ? utf8Encode(key) : key;
  // RFC 2104: keys longer than a block are hashed first.
  const k = raw.length > 64 ? sha256(raw) : raw;
  const block = new Uint8Array(64);
  const state = new Int32Array(16);
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < 64; i++) block[i] = (k[i] ?? 0) ^ (pass > 0 ? 0x5c : 0x36);
    H.set(IV);
    compress(H, block, 0);
    state.set(H, pass * 8);
  }
  // Don't leave key bytes (e.g. "AWS4" + secret) behind in memory we own.
  block.fill(0);
  if (raw !== key) raw.fill(0);
  if (k !== raw) {
    // The long key went through the message buffer, its hash through OUT.
    k.fill(0);
    OUT.fill(0);
    buf.fill(0, 0, raw.length);
  }
  return state;
}

/**
 * HMAC-SHA-256 of `data` (strings as UTF-8) with a key prepared by `hmacState`; shared result, valid until
 * the next hash.
 */
export function hmac(state: Int32Array, data: Uint8Array | string): Uint8Array {
  return digest(state, 8, 64, digest(state, 0, 64, data));
}

/** HMAC-SHA-256 (RFC 2104) of `data` under `key`; strings are taken as UTF-8. */
export function hmacSha256(key: Uint8Array | string, data: Uint8Array | string): Uint8Array {
  const state = hmacState(key);
  const mac = hmac(state, data).slice();
  state.fill(0);
  return mac;
}
