/**
 * SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104), synchronous and dependency-free: the core
 * must sign in engines without WebCrypto or TextEncoder (QuickJS), and a synchronous signer keeps
 * `presignUrl` synchronous.
 *
 * Speed comes from three things: one compression routine with the state in locals and a reused
 * 64-word schedule; strings UTF-8-encoded into a reused scratch buffer instead of a fresh array;
 * and HMAC keys reduced once to their inner/outer midstates (`hmacState`), so signing with a cached
 * SigV4 key costs the message blocks plus one block, not four extra key blocks.
 */

import { utf8Write } from './utf8.js';

// FIPS 180-4 §4.2.2 round constants and §5.3.3 initial hash value. Int32Array: V8 keeps int32
// loads unboxed, and all arithmetic below is `| 0` wrap-around anyway.
const K: Int32Array = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV: Int32Array = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const W = new Int32Array(64);
const H = new Int32Array(8);
const TAIL = new Uint8Array(128);
let scratch = new Uint8Array(1024);

/** Process `blocks` 64-byte blocks of `m` from `off` into the state `h`. */
function compress(h: Int32Array, m: Uint8Array, off: number, blocks: number): void {
  const w = W;
  let h0 = h[0]!, h1 = h[1]!, h2 = h[2]!, h3 = h[3]!, h4 = h[4]!, h5 = h[5]!, h6 = h[6]!, h7 = h[7]!;
  for (let blk = 0; blk < blocks; blk++, off += 64) {
    for (let i = 0, j = off; i < 16; i++, j += 4) {
      w[i] = (m[j]! << 24) | (m[j + 1]! << 16) | (m[j + 2]! << 8) | m[j + 3]!;
    }
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15]!;
      const y = w[i - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, hh = h7;
    for (let i = 0; i < 64; i++) {
      const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + s1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
      const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
    h5 = (h5 + f) | 0;
    h6 = (h6 + g) | 0;
    h7 = (h7 + hh) | 0;
  }
  h[0] = h0;
  h[1] = h1;
  h[2] = h2;
  h[3] = h3;
  h[4] = h4;
  h[5] = h5;
  h[6] = h6;
  h[7] = h7;
}

/**
 * Hash `m[0, len)` into `h`, starting from `init` (at `init[from]`) as if `prefix` bytes had
 * already been processed (HMAC midstates resume after one 64-byte key block).
 */
function digestInto(h: Int32Array, init: Int32Array, from: number, prefix: number, m: Uint8Array, len: number): void {
  for (let i = 0; i < 8; i++) h[i] = init[from + i]!;
  const full = len >>> 6;
  if (full > 0) compress(h, m, 0, full);
  // Padding (§5.1.1): 0x80, zeros, then the 64-bit big-endian message length in bits.
  const rest = len - (full << 6);
  const t = TAIL;
  t.fill(0);
  for (let i = 0; i < rest; i++) t[i] = m[(full << 6) + i]!;
  t[rest] = 0x80;
  const end = rest < 56 ? 64 : 128;
  const bytes = prefix + len;
  const hi = Math.floor(bytes / 0x20000000);
  const lo = (bytes * 8) >>> 0;
  t[end - 8] = hi >>> 24;
  t[end - 7] = hi >>> 16;
  t[end - 6] = hi >>> 8;
  t[end - 5] = hi;
  t[end - 4] = lo >>> 24;
  t[end - 3] = lo >>> 16;
  t[end - 2] = lo >>> 8;
  t[end - 1] = lo;
  compress(h, t, 0, end >>> 6);
}

/** `data` as bytes; strings are UTF-8-encoded into the shared scratch buffer (valid until the next call). */
function bytesOf(data: Uint8Array | string): Uint8Array {
  if (typeof data !== 'string') return data;
  const max = data.length * 3;
  if (scratch.length < max) scratch = new Uint8Array(Math.max(max, scratch.length * 2));
  return scratch.subarray(0, utf8Write(data, scratch, 0));
}

function wordsToBytes(h: Int32Array, out: Uint8Array, at: number): Uint8Array {
  for (let i = 0; i < 8; i++) {
    const v = h[i]!;
    out[at + i * 4] = v >>> 24;
    out[at + i * 4 + 1] = v >>> 16;
    out[at + i * 4 + 2] = v >>> 8;
    out[at + i * 4 + 3] = v;
  }
  return out;
}

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push((i < 16 ? '0' : '') + i.toString(16));

function wordsToHex(h: Int32Array): string {
  let s = '';
  for (let i = 0; i < 8; i++) {
    const v = h[i]!;
    s += HEX[v >>> 24]! + HEX[(v >>> 16) & 255]! + HEX[(v >>> 8) & 255]! + HEX[v & 255]!;
  }
  return s;
}

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!]!;
  return s;
}

/** SHA-256 digest (32 bytes) of `data`; strings are hashed as UTF-8. */
export function sha256(data: Uint8Array | string): Uint8Array {
  const m = bytesOf(data);
  digestInto(H, IV, 0, 0, m, m.length);
  return wordsToBytes(H, new Uint8Array(32), 0);
}

/** Lower-case hex SHA-256 of `data`, without materialising the digest bytes. */
export function sha256Hex(data: Uint8Array | string): string {
  const m = bytesOf(data);
  digestInto(H, IV, 0, 0, m, m.length);
  return wordsToHex(H);
}

/**
 * HMAC-SHA-256 key reduced to its two midstates (RFC 2104: the hashes of `key ^ ipad` and
 * `key ^ opad`, one block each): 16 words, inner state first. Holding this is as good as holding
 * the key, so treat it as secret.
 */
export function hmacState(key: Uint8Array | string): Int32Array {
  let k = bytesOf(key);
  if (k.length > 64) k = sha256(k);
  const block = new Uint8Array(64);
  const state = new Int32Array(16);
  for (let pass = 0; pass < 2; pass++) {
    const pad = pass === 0 ? 0x36 : 0x5c;
    for (let i = 0; i < 64; i++) block[i] = (i < k.length ? k[i]! : 0) ^ pad;
    for (let i = 0; i < 8; i++) H[i] = IV[i]!;
    compress(H, block, 0, 1);
    state.set(H, pass * 8);
  }
  block.fill(0);
  return state;
}

const INNER = new Uint8Array(32);

/** HMAC with a prepared key state; the digest's 8 words are left in the shared `H`. */
function hmacWords(state: Int32Array, data: Uint8Array | string): void {
  const m = bytesOf(data);
  digestInto(H, state, 0, 64, m, m.length);
  wordsToBytes(H, INNER, 0);
  digestInto(H, state, 8, 64, INNER, 32);
}

/** HMAC-SHA-256 with a key prepared by `hmacState`, as 32 bytes. */
export function hmacWithState(state: Int32Array, data: Uint8Array | string): Uint8Array {
  hmacWords(state, data);
  return wordsToBytes(H, new Uint8Array(32), 0);
}

/** HMAC-SHA-256 with a key prepared by `hmacState`, as lower-case hex. */
export function hmacHexWithState(state: Int32Array, data: Uint8Array | string): string {
  hmacWords(state, data);
  return wordsToHex(H);
}

/** HMAC-SHA-256 (RFC 2104) of `data` under `key`; strings are taken as UTF-8. */
export function hmacSha256(key: Uint8Array | string, data: Uint8Array | string): Uint8Array {
  return hmacWithState(hmacState(key), data);
}
