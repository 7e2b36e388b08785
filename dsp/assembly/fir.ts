// Streaming polyphase FIR resampler kernel (rational L/M, Kaiser-windowed sinc designed on the JS
// side). One call ingests a chunk, emits every output sample whose window is complete and compacts
// the history, so output never waits for later input and is the same for any chunking: each output
// is the same dot product over the same samples, whatever the block boundaries.
import { f32ToI16, IN_F32_MONO, IN_I16_MONO, ingest, toI16 } from './pcm';

// State block layout (i32 fields; kept in sync with dsp/wasm-core.ts).
// L, M: up/down factors. T: taps per row (multiple of 4). COEF: rows, phase-major, each row time-
// reversed so the dot product runs forward in memory. HIST/CAP: float history and its capacity in
// samples. HLEN: valid samples. START: window start of the next output. PHASE: its phase (0..L-1).
// DQ/DP: M = DQ*L + DP. INTERP: 0 for an exact polyphase table, else P (rows per input sample,
// P+1 rows, linear interpolation between neighbouring rows for ratios with a huge L).
const S_L = 0;
const S_M = 4;
const S_T = 8;
const S_COEF = 12;
const S_HIST = 16;
const S_CAP = 20;
const S_HLEN = 24;
const S_START = 28;
const S_PHASE = 32;
const S_DQ = 36;
const S_DP = 40;
const S_INTERP = 44;

const BYTES_PER_FRAME: StaticArray<i32> = [4, 8, 2, 4];

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

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

// One output in dotPair's exact order (two accumulators, 8 taps a step): an integer decimator's
// odd output out must equal what the pair path would have computed (bit-exact chunk invariance).
function dot8(c: usize, x: usize, taps: i32): f32 {
  let a0 = f32x4.splat(0);
  let a1 = a0;
  const end8 = c + (<usize>(taps & ~7) << 2);
  const end = c + (<usize>taps << 2);
  while (c < end8) {
    a0 = f32x4.add(a0, f32x4.mul(v128.load(c), v128.load(x)));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(c, 16), v128.load(x, 16)));
    c += 32;
    x += 32;
  }
  while (c < end) {
    a0 = f32x4.add(a0, f32x4.mul(v128.load(c), v128.load(x)));
    c += 16;
    x += 16;
  }
  return hsum(f32x4.add(a0, a1));
}

// Two outputs of an integer decimator at once (same row, windows `d` bytes apart): each
// coefficient load feeds two products, 3 loads per 2 multiply-adds instead of 4.
// @ts-ignore: decorator
@inline function dotPair(c: usize, x: usize, d: usize, taps: i32, out: usize, outKind: i32): void {
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
  const y0 = hsum(f32x4.add(a0, a1));
  const y1 = hsum(f32x4.add(b0, b1));
  if (outKind == 0) {
    store<f32>(out, y0);
    store<f32>(out, y1, 4);
  } else {
    store<i16>(out, toI16(y0));
    store<i16>(out, toI16(y1), 2);
  }
}

// Two neighbouring rows at once (interpolated mode): one load of x feeds both.
function dot2(c: usize, x: usize, taps: i32, frac: f32): f32 {
  let a0 = f32x4.splat(0);
  let a1 = a0;
  let b0 = a0;
  let b1 = a0;
  const d = <usize>taps << 2;
  const end8 = c + (<usize>(taps & ~7) << 2);
  const end = c + d;
  while (c < end8) {
    const x0 = v128.load(x);
    const x1 = v128.load(x, 16);
    a0 = f32x4.add(a0, f32x4.mul(v128.load(c), x0));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(c, 16), x1));
    b0 = f32x4.add(b0, f32x4.mul(v128.load(c + d), x0));
    b1 = f32x4.add(b1, f32x4.mul(v128.load(c + d, 16), x1));
    c += 32;
    x += 32;
  }
  while (c < end) {
    const x0 = v128.load(x);
    a0 = f32x4.add(a0, f32x4.mul(v128.load(c), x0));
    b0 = f32x4.add(b0, f32x4.mul(v128.load(c + d), x0));
    c += 16;
    x += 16;
  }
  const s0 = hsum(f32x4.add(a0, a1));
  const s1 = hsum(f32x4.add(b0, b1));
  return s0 + frac * (s1 - s0);
}

/**
 * Resamples `frames` input frames of layout `inKind` at `src` into `out` (f32 when outKind is 0,
 * Int16 LE when 1). Returns the number of output samples written.
 */
export function resample(st: usize, src: usize, frames: i32, inKind: i32, out: usize, outKind: i32): i32 {
  const L = load<i32>(st, S_L);
  const T = load<i32>(st, S_T);
  const coef = <usize>load<i32>(st, S_COEF);
  const hist = <usize>load<i32>(st, S_HIST);
  const cap = load<i32>(st, S_CAP);
  const dq = load<i32>(st, S_DQ);
  const dp = load<i32>(st, S_DP);
  const P = load<i32>(st, S_INTERP);
  const row = <usize>T << 2;
  const bpf = <usize>unchecked(BYTES_PER_FRAME[inKind]);
  if (L == 1 && load<i32>(st, S_M) == 1) {
    // Same rate: no filter, no delay; only the format changes (history block used as scratch).
    if (outKind == 0) {
      ingest(inKind, src, frames, out);
      return frames;
    }
    // f32ToI16 maps NaN to 0 and saturates +-Infinity, as sanitising first would; Int16 is a copy.
    if (inKind == IN_F32_MONO) {
      f32ToI16(src, out, frames);
      return frames;
    }
    if (inKind == IN_I16_MONO) {
      memory.copy(out, src, <usize>frames << 1);
      return frames;
    }
    for (let done = 0; done < frames; ) {
      const n = min(frames - done, cap);
      ingest(inKind, src + <usize>done * bpf, n, hist);
      f32ToI16(hist, out + (<usize>done << 1), n);
      done += n;
    }
    return frames;
  }
  let hlen = load<i32>(st, S_HLEN);
  let start = load<i32>(st, S_START);
  let phase = load<i32>(st, S_PHASE);
  let produced = 0;
  for (;;) {
    const n = min(frames, cap - hlen);
    ingest(inKind, src, n, hist + (<usize>hlen << 2));
    src += <usize>n * bpf;
    frames -= n;
    hlen += n;
    if (L == 1 && P == 0) {
      // Integer decimation: pairs of outputs share every coefficient load.
      const d = <usize>dq << 2;
      const size = outKind == 0 ? 4 : 2;
      while (start + dq + T <= hlen) {
        dotPair(coef, hist + (<usize>start << 2), d, T, out + <usize>produced * size, outKind);
        produced += 2;
        start += dq << 1;
      }
    }
    while (start + T <= hlen) {
      const x = hist + (<usize>start << 2);
      let y: f32;
      if (L == 1) {
        y = dot8(coef, x, T);
      } else if (P == 0) {
        y = dot(coef + <usize>phase * row, x, T);
      } else {
        // Exact integer phase -> row index and fraction; phase < L and P <= 4096 keep this in i32.
        const num = phase * P;
        const r = num / L;
        y = dot2(coef + <usize>r * row, x, T, <f32>(num - r * L) / <f32>L);
      }
      if (outKind == 0) store<f32>(out + (<usize>produced << 2), y);
      else store<i16>(out + (<usize>produced << 1), toI16(y));
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
    if (frames == 0) break;
  }
  store<i32>(st, hlen, S_HLEN);
  store<i32>(st, start, S_START);
  store<i32>(st, phase, S_PHASE);
  return produced;
}
