/**
 * The TypeScript kernel: dsp/assembly/fir.ts sample for sample (the same state block, Float32
 * history and tables in the same memory layout, the same block and compaction rule), accumulating
 * in float64. Used where WebAssembly or Wasm SIMD is missing (QuickJS, Hermes, old Safari) and as
 * the tests' cross-check.
 */
import { roundToInt16 } from '../round.js';
import {
  IN_F32_MONO,
  IN_F32_STEREO,
  IN_I16_MONO,
  STATE_CAP,
  STATE_COEF,
  STATE_DP,
  STATE_DQ,
  STATE_HIST,
  STATE_HLEN,
  STATE_INTERP,
  STATE_L,
  STATE_M,
  STATE_PHASE,
  STATE_START,
  STATE_TAPS,
} from './layout.js';
import type { MemoryViews } from './views.js';

function dot(c: Float32Array, co: number, x: Float32Array, xo: number, taps: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const d = xo - co;
  const end = co + taps;
  for (let i = co; i < end; i += 4) {
    s0 += c[i]! * x[i + d]!;
    s1 += c[i + 1]! * x[i + d + 1]!;
    s2 += c[i + 2]! * x[i + d + 2]!;
    s3 += c[i + 3]! * x[i + d + 3]!;
  }
  return s0 + s1 + (s2 + s3);
}

/** Output `k`: a float at `out`, or Int16 LE bytes (half to even, saturated) written byte by byte, on any host. */
function put(rt: MemoryViews, out: number, k: number, y: number, toInt16: boolean): void {
  if (toInt16) {
    const v = roundToInt16(Math.fround(y) * 32768);
    rt.u8[out + 2 * k] = v;
    rt.u8[out + 2 * k + 1] = v >> 8;
  } else {
    rt.f32[(out >> 2) + k] = y;
  }
}

/**
 * Append `n` frames of input `kind` from element `at` of its typed view to the history at float
 * index `dst`, as sanitised mono floats (NaN -> 0, +-Infinity -> +-1, as the Wasm kernel does);
 * returns the element after the last one read.
 */
function ingest(rt: MemoryViews, kind: number, at: number, n: number, dst: number): number {
  const { f32, i16 } = rt;
  for (let i = dst, end = dst + n; i < end; i++) {
    let x: number;
    switch (kind) {
      case IN_F32_MONO:
        x = f32[at++]!;
        break;
      case IN_F32_STEREO:
        x = Math.fround(f32[at++]! + f32[at++]!) * 0.5;
        break;
      case IN_I16_MONO:
        x = i16[at++]! / 32768;
        break;
      default: // IN_I16_STEREO
        x = (i16[at++]! + i16[at++]!) / 65536;
    }
    if (x - x !== 0) x = x > 0 ? 1 : x < 0 ? -1 : 0;
    f32[i] = x;
  }
  return at;
}

/** Same contract as the Wasm `resample` (dsp/assembly/fir.ts), on the same state block (layout.ts). */
export function resampleJs(
  rt: MemoryViews,
  st: number,
  src: number,
  frames: number,
  kind: number,
  out: number,
  toInt16: boolean,
): number {
  const { f32, i32 } = rt;
  const L = i32[(st + STATE_L) >> 2]!;
  const M = i32[(st + STATE_M) >> 2]!;
  const T = i32[(st + STATE_TAPS) >> 2]!;
  const coef = i32[(st + STATE_COEF) >> 2]! >> 2;
  const hist = i32[(st + STATE_HIST) >> 2]! >> 2;
  const cap = i32[(st + STATE_CAP) >> 2]!;
  let hlen = i32[(st + STATE_HLEN) >> 2]!;
  let start = i32[(st + STATE_START) >> 2]!;
  let phase = i32[(st + STATE_PHASE) >> 2]!;
  const dq = i32[(st + STATE_DQ) >> 2]!;
  const dp = i32[(st + STATE_DP) >> 2]!;
  const P = i32[(st + STATE_INTERP) >> 2]!;
  let produced = 0;
  // The next input sample, in elements of its type.
  let at = kind === IN_F32_MONO || kind === IN_F32_STEREO ? src >> 2 : src >> 1;
  for (;;) {
    const n = Math.min(frames, cap - hlen);
    at = ingest(rt, kind, at, n, hist + hlen);
    frames -= n;
    if (L === M) {
      // Same rate: no filter, no delay; the ingested block (past the history) is the output.
      for (let i = 0; i < n; i++) put(rt, out, produced++, f32[hist + hlen + i]!, toInt16);
    } else {
      hlen += n;
      while (start + T <= hlen) {
        let y: number;
        if (P === 0) {
          y = dot(f32, coef + phase * T, f32, hist + start, T);
        } else {
          const num = phase * P;
          const r = Math.floor(num / L);
          const y0 = dot(f32, coef + r * T, f32, hist + start, T);
          y = y0 + Math.fround((num - r * L) / L) * (dot(f32, coef + (r + 1) * T, f32, hist + start, T) - y0);
        }
        put(rt, out, produced++, y, toInt16);
        phase += dp;
        start += dq;
        if (phase >= L) {
          phase -= L;
          start++;
        }
      }
      // Keep only what later windows need.
      if (start >= hlen) {
        start -= hlen;
        hlen = 0;
      } else if (start > 0) {
        f32.copyWithin(hist, hist + start, hist + hlen);
        hlen -= start;
        start = 0;
      }
    }
    if (frames === 0) break;
  }
  i32[(st + STATE_HLEN) >> 2] = hlen;
  i32[(st + STATE_START) >> 2] = start;
  i32[(st + STATE_PHASE) >> 2] = phase;
  return produced;
}
