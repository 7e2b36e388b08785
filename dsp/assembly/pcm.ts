// PCM kernels: input ingest (downmix, Int16 scaling, sanitising) and Float -> Int16. Every kernel
// works on caller-given pointers into linear memory; the module owns no state and allocates nothing.

import { IN_F32_MONO, IN_F32_STEREO, IN_I16_MONO } from '../kernel/layout';

// Non-finite input must not reach the filter history: NaN -> 0, +-Infinity -> +-1 (full scale).
// x - x is 0 exactly for finite x and NaN for NaN and +-Infinity.
// @ts-ignore: decorator
@inline function sanitize4(v: v128): v128 {
  const zero = f32x4.splat(0);
  const finite = f32x4.eq(f32x4.sub(v, v), zero);
  const repl = v128.or(v128.and(f32x4.gt(v, zero), f32x4.splat(1)), v128.and(f32x4.lt(v, zero), f32x4.splat(-1)));
  return v128.bitselect(v, repl, finite);
}

/**
 * Appends `frames` frames of input kind `kind` (dsp/kernel/layout.ts: IN_F32_MONO ... IN_I16_STEREO)
 * at `src` to the float history at `dst` as sanitised mono. Float input, the common case, runs 4
 * frames a step; Int16 input is scalar (it costs little next to the filter, and is never
 * non-finite).
 */
export function ingest(kind: i32, src: usize, frames: i32, dst: usize): void {
  let i = 0;
  if (kind == IN_F32_MONO || kind == IN_F32_STEREO) {
    for (; i + 4 <= frames; i += 4) {
      let v = v128.load(src + (<usize>i << 2));
      if (kind == IN_F32_STEREO) {
        const p = src + (<usize>i << 3);
        const b = v128.load(p, 16);
        v = v128.load(p);
        v = f32x4.mul(
          f32x4.add(v128.shuffle<f32>(v, b, 0, 2, 4, 6), v128.shuffle<f32>(v, b, 1, 3, 5, 7)),
          f32x4.splat(0.5),
        );
      }
      // Sanitised after the downmix: Infinity + -Infinity is NaN.
      v128.store(dst + (<usize>i << 2), sanitize4(v));
    }
  }
  for (; i < frames; i++) {
    let x: f32;
    if (kind == IN_F32_MONO) x = load<f32>(src + (<usize>i << 2));
    else if (kind == IN_F32_STEREO) x = (load<f32>(src + (<usize>i << 3)) + load<f32>(src + (<usize>i << 3), 4)) * 0.5;
    else if (kind == IN_I16_MONO) x = <f32>load<i16>(src + (<usize>i << 1)) * (1.0 / 32768.0);
    // IN_I16_STEREO
    else x = <f32>(<i32>load<i16>(src + (<usize>i << 2)) + <i32>load<i16>(src + (<usize>i << 2), 2)) * (1.0 / 65536.0);
    store<f32>(dst + (<usize>i << 2), x - x == 0 ? x : x > 0 ? 1 : x < 0 ? -1 : 0);
  }
}

/**
 * Float -> Int16: x * 32768, round half to even, saturate to [-32768, 32767], NaN -> 0.
 * trunc_sat maps NaN to 0 and narrow_s saturates, so the SIMD path needs no explicit clamp.
 * In place is fine (dst <= src): each step reads its 8 floats before writing 8 shorts.
 */
export function f32ToI16(src: usize, dst: usize, n: i32): void {
  const scale = f32x4.splat(32768);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = src + (<usize>i << 2);
    const a = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(p), scale)));
    const b = i32x4.trunc_sat_f32x4_s(f32x4.nearest(f32x4.mul(v128.load(p, 16), scale)));
    v128.store(dst + (<usize>i << 1), i16x8.narrow_i32x4_s(a, b));
  }
  for (; i < n; i++) {
    const s = nearest<f32>(load<f32>(src + (<usize>i << 2)) * 32768);
    // Comparisons are false for NaN, which falls through to the saturating truncation (0).
    store<i16>(dst + (<usize>i << 1), <i16>(s >= 32767 ? 32767 : s <= -32768 ? -32768 : <i32>s));
  }
}
