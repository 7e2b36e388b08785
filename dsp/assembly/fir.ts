// Streaming polyphase FIR resampler kernel (rational L/M, Kaiser-windowed sinc designed on the JS
// side). One call ingests a chunk, emits every output sample whose window is complete and compacts
// the history, so output never waits for later input and is the same for any chunking: each output
// is the same dot product over the same samples, whatever the block boundaries.
import { f32ToI16, ingest } from './pcm';
// The state block and the input kinds, shared with the TypeScript side (fields explained there).
import {
  IN_F32_MONO,
  IN_F32_STEREO,
  IN_I16_STEREO,
  OUT_I16,
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
} from '../kernel/layout';

/** Bytes of one input frame of `kind`: 4-byte floats or 2-byte ints, one or two channels. */
// @ts-ignore: decorator
@inline function bytesPerFrame(kind: i32): usize {
  const sampleBytes: usize = kind == IN_F32_MONO || kind == IN_F32_STEREO ? 4 : 2;
  const channels: usize = kind == IN_F32_STEREO || kind == IN_I16_STEREO ? 2 : 1;
  return sampleBytes * channels;
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** One output: 4 accumulators of 4 lanes, 16 taps a step. */
function dot(c: usize, x: usize, taps: i32): f32 {
  let a0 = f32x4.splat(0);
  let a1 = a0;
  let a2 = a0;
  let a3 = a0;
  const end16 = c + (<usize>(taps & ~15) << 2);
  const end = c + (<usize>taps << 2);
  while (c < end16) {
    a0 = f32x4.add(a0, f32x4.mul(v128.load(c), v128.load(x)));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(c, 16), v128.load(x, 16)));
    a2 = f32x4.add(a2, f32x4.mul(v128.load(c, 32), v128.load(x, 32)));
    a3 = f32x4.add(a3, f32x4.mul(v128.load(c, 48), v128.load(x, 48)));
    c += 64;
    x += 64;
  }
  while (c < end) {
    a0 = f32x4.add(a0, f32x4.mul(v128.load(c), v128.load(x)));
    c += 16;
    x += 16;
  }
  return hsum(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)));
}

/**
 * Two outputs of an integer decimator at once (same row, windows `d` bytes apart): each
 * coefficient load feeds two products, 3 loads per 2 multiply-adds instead of 4. Both windows go
 * through the same arithmetic, so an output is bit-identical whichever half computes it; when only
 * the first window is complete the second is computed from the history block's slack and its
 * value is overwritten by the next output.
 */
// @ts-ignore: decorator
@inline function dotPair(c: usize, x: usize, d: usize, taps: i32, out: usize): void {
  let a0 = f32x4.splat(0);
  let a1 = a0;
  let b0 = a0;
  let b1 = a0;
  const end8 = c + (<usize>(taps & ~7) << 2);
  const end = c + (<usize>taps << 2);
  while (c < end8) {
    const c0 = v128.load(c);
    const c1 = v128.load(c, 16);
    a0 = f32x4.add(a0, f32x4.mul(c0, v128.load(x)));
    a1 = f32x4.add(a1, f32x4.mul(c1, v128.load(x, 16)));
    b0 = f32x4.add(b0, f32x4.mul(c0, v128.load(x + d)));
    b1 = f32x4.add(b1, f32x4.mul(c1, v128.load(x + d, 16)));
    c += 32;
    x += 32;
  }
  while (c < end) {
    const c0 = v128.load(c);
    a0 = f32x4.add(a0, f32x4.mul(c0, v128.load(x)));
    b0 = f32x4.add(b0, f32x4.mul(c0, v128.load(x + d)));
    c += 16;
    x += 16;
  }
  store<f32>(out, hsum(f32x4.add(a0, a1)));
  store<f32>(out, hsum(f32x4.add(b0, b1)), 4);
}

/**
 * Resamples `frames` frames of input kind `inKind` (an IN_*) at `src` for the stream whose state
 * block is at `st`, into `out`: floats for OUT_F32, Int16 LE for OUT_I16 (the block must hold
 * produced + 1 floats either way). Returns the output sample count.
 */
export function resample(st: usize, src: usize, frames: i32, inKind: i32, out: usize, outKind: i32): i32 {
  const L = load<i32>(st, STATE_L);
  const T = load<i32>(st, STATE_TAPS);
  const coef = <usize>load<i32>(st, STATE_COEF);
  const hist = <usize>load<i32>(st, STATE_HIST);
  const cap = load<i32>(st, STATE_CAP);
  const dq = load<i32>(st, STATE_DQ);
  const dp = load<i32>(st, STATE_DP);
  const P = load<i32>(st, STATE_INTERP);
  const same = L == load<i32>(st, STATE_M);
  const frameBytes = bytesPerFrame(inKind);
  if (same && inKind == IN_F32_MONO && outKind == OUT_I16) {
    // Same rate, Float32 -> Int16 in one pass: f32ToI16 maps NaN to 0 and saturates +-Infinity
    // (to the values the sanitised +-1 give).
    f32ToI16(src, out, frames);
    return frames;
  }
  let hlen = load<i32>(st, STATE_HLEN);
  let start = load<i32>(st, STATE_START);
  let phase = load<i32>(st, STATE_PHASE);
  let produced = 0;
  for (;;) {
    // Same rate: no filter, no delay; the whole input is ingested straight into the output.
    const n = same ? frames : min(frames, cap - hlen);
    ingest(inKind, src, n, same ? out + (<usize>produced << 2) : hist + (<usize>hlen << 2));
    src += <usize>n * frameBytes;
    frames -= n;
    if (same) {
      produced += n;
    } else {
      hlen += n;
      while (start + T <= hlen) {
        const x = hist + (<usize>start << 2);
        const o = out + (<usize>produced << 2);
        if (L == 1) {
          // Integer decimation: outputs in pairs sharing every coefficient load.
          dotPair(coef, x, <usize>dq << 2, T, o);
          const k = start + dq + T <= hlen ? 2 : 1;
          produced += k;
          start += dq * k;
          continue;
        }
        let y: f32;
        if (P == 0) {
          y = dot(coef + <usize>phase * (<usize>T << 2), x, T);
        } else {
          // Exact integer phase -> row index and fraction; phase < L and P <= 4096 keep this in i32.
          const num = phase * P;
          const r = num / L;
          const c = coef + <usize>r * (<usize>T << 2);
          const s0 = dot(c, x, T);
          y = s0 + (<f32>(num - r * L) / <f32>L) * (dot(c + (<usize>T << 2), x, T) - s0);
        }
        store<f32>(o, y);
        produced++;
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
        memory.copy(hist, hist + (<usize>start << 2), <usize>(hlen - start) << 2);
        hlen -= start;
        start = 0;
      }
    }
    if (frames == 0) break;
  }
  store<i32>(st, hlen, STATE_HLEN);
  store<i32>(st, start, STATE_START);
  store<i32>(st, phase, STATE_PHASE);
  if (outKind == OUT_I16) f32ToI16(out, out, produced);
  return produced;
}
