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
    // 64 rounds, eight per iteration so the variables rotate by renaming instead of by moves.
    // Each line pair is one round: t = h + Σ1(e) + Ch(e,f,g) + K + W; d += t; h = t + Σ0(a) + Maj(a,b,c)
    // (Ch and Maj in their one-fewer-operation forms).
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, hh = h7, t: number;
    for (let i = 0; i < 64; i += 8) {
      t = (hh + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + K[i]! + w[i]!) | 0;
      d = (d + t) | 0; hh = (t + ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (c & (a ^ b))))) | 0;
      t = (g + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7))) + (f ^ (d & (e ^ f))) + K[i + 1]! + w[i + 1]!) | 0;
      c = (c + t) | 0; g = (t + ((((hh >>> 2) | (hh << 30)) ^ ((hh >>> 13) | (hh << 19)) ^ ((hh >>> 22) | (hh << 10))) + ((hh & a) ^ (b & (hh ^ a))))) | 0;
      t = (f + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7))) + (e ^ (c & (d ^ e))) + K[i + 2]! + w[i + 2]!) | 0;
      b = (b + t) | 0; f = (t + ((((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & hh) ^ (a & (g ^ hh))))) | 0;
      t = (e + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7))) + (d ^ (b & (c ^ d))) + K[i + 3]! + w[i + 3]!) | 0;
      a = (a + t) | 0; e = (t + ((((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) ^ (hh & (f ^ g))))) | 0;
      t = (d + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7))) + (c ^ (a & (b ^ c))) + K[i + 4]! + w[i + 4]!) | 0;
      hh = (hh + t) | 0; d = (t + ((((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) ^ (g & (e ^ f))))) | 0;
      t = (c + (((hh >>> 6) | (hh << 26)) ^ ((hh >>> 11) | (hh << 21)) ^ ((hh >>> 25) | (hh << 7))) + (b ^ (hh & (a ^ b))) + K[i + 5]! + w[i + 5]!) | 0;
      g = (g + t) | 0; c = (t + ((((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) ^ (f & (d ^ e))))) | 0;
      t = (b + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7))) + (a ^ (g & (hh ^ a))) + K[i + 6]! + w[i + 6]!) | 0;
      f = (f + t) | 0; b = (t + ((((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) ^ (e & (c ^ d))))) | 0;
      t = (a + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7))) + (hh ^ (f & (g ^ hh))) + K[i + 7]! + w[i + 7]!) | 0;
      e = (e + t) | 0; a = (t + ((((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) ^ (d & (b ^ c))))) | 0;
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

/** Write `s` as UTF-8 into `out` at `o`; returns the end offset. ASCII (all SigV4 text, in practice) takes a tight loop. */
function writeString(s: string, out: Uint8Array, o: number): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return utf8Write(i === 0 ? s : s.slice(i), out, o + i);
    out[o + i] = c;
  }
  return o + n;
}

function reserve(bytes: number): Uint8Array {
  if (scratch.length < bytes) scratch = new Uint8Array(Math.max(bytes, scratch.length * 2));
  return scratch;
}

/**
 * Make `data` the current input (`input`) and return its length; strings are UTF-8-encoded into the
 * shared scratch buffer, valid until the next call.
 */
let input: Uint8Array = scratch;
function load(data: Uint8Array | string): number {
  if (typeof data !== 'string') {
    input = data;
    return data.length;
  }
  input = reserve(data.length * 3);
  return writeString(data, input, 0);
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
  const len = load(data);
  digestInto(H, IV, 0, 0, input, len);
  return wordsToBytes(H, new Uint8Array(32), 0);
}

/** Lower-case hex SHA-256 of `data`, without materialising the digest bytes. */
export function sha256Hex(data: Uint8Array | string): string {
  const len = load(data);
  digestInto(H, IV, 0, 0, input, len);
  return wordsToHex(H);
}

/**
 * Lower-case hex SHA-256 of the UTF-8 concatenation of `parts`. Hashing the pieces directly skips
 * joining them: a long string built by `+` is a rope that would be flattened, then copied again.
 */
export function sha256HexParts(parts: readonly string[]): string {
  let max = 0;
  for (let i = 0; i < parts.length; i++) max += parts[i]!.length;
  const out = reserve(max * 3);
  let len = 0;
  for (let i = 0; i < parts.length; i++) len = writeString(parts[i]!, out, len);
  digestInto(H, IV, 0, 0, out, len);
  return wordsToHex(H);
}

/**
 * HMAC-SHA-256 key reduced to its two midstates (RFC 2104: the hashes of `key ^ ipad` and
 * `key ^ opad`, one block each): 16 words, inner state first. Holding this is as good as holding
 * the key, so treat it as secret.
 */
export function hmacState(key: Uint8Array | string): Int32Array {
  const len = load(key);
  // RFC 2104: keys longer than a block are hashed first.
  const k = len > 64 ? sha256(input.subarray(0, len)) : input;
  const klen = len > 64 ? 32 : len;
  const block = new Uint8Array(64);
  const state = new Int32Array(16);
  for (let pass = 0; pass < 2; pass++) {
    const pad = pass === 0 ? 0x36 : 0x5c;
    for (let i = 0; i < 64; i++) block[i] = (i < klen ? k[i]! : 0) ^ pad;
    for (let i = 0; i < 8; i++) H[i] = IV[i]!;
    compress(H, block, 0, 1);
    state.set(H, pass * 8);
  }
  block.fill(0);
  if (typeof key === 'string') scratch.fill(0, 0, len); // don't leave key bytes (e.g. "AWS4" + secret) behind
  return state;
}

const INNER = new Uint8Array(32);

/** HMAC with a prepared key state; the digest's 8 words are left in the shared `H`. */
function hmacWords(state: Int32Array, data: Uint8Array | string): void {
  const len = load(data);
  digestInto(H, state, 0, 64, input, len);
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
