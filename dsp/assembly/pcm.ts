// PCM kernels: sample-format conversion, stereo downmix and input sanitising, 4 or 8 samples per
// SIMD step with scalar tails. Every kernel works on caller-given pointers into linear memory; the
// module owns no state and allocates nothing (the JS side lays memory out).

// Input layouts the resampler ingests (kept in sync with dsp/wasm-core.ts).
export const IN_F32_MONO = 0;
export const IN_F32_STEREO = 1;
export const IN_I16_MONO = 2;
export const IN_I16_STEREO = 3;

// Non-finite input must not reach the filter history: NaN -> 0, +-Infinity -> +-1 (full scale).
// x - x is 0 exactly for finite x and NaN for NaN and +-Infinity.
// @ts-ignore: decorator
@inline function sanitize4(v: v128): v128 {
  const zero = f32x4.splat(0);
  const finite = f32x4.eq(f32x4.sub(v, v), zero);
  const repl = v128.or(
    v128.and(f32x4.gt(v, zero), f32x4.splat(1)),
    v128.and(f32x4.lt(v, zero), f32x4.splat(-1)),
  );
  return v128.bitselect(v, repl, finite);
}

// @ts-ignore: decorator
@inline function sanitize1(x: f32): f32 {
  return x - x == 0 ? x : x > 0 ? 1 : x < 0 ? -1 : 0;
}

/** Appends `frames` frames of `kind` at `src` to the float history at `dst` as sanitised mono. */
export function ingest(kind: i32, src: usize, frames: i32, dst: usize): void {
  let i = 0;
  if (kind == IN_F32_MONO) {
    for (; i + 4 <= frames; i += 4) v128.store(dst + (<usize>i << 2), sanitize4(v128.load(src + (<usize>i << 2))));
    for (; i < frames; i++) store<f32>(dst + (<usize>i << 2), sanitize1(load<f32>(src + (<usize>i << 2))));
  } else if (kind == IN_F32_STEREO) {
    const half = f32x4.splat(0.5);
    for (; i + 4 <= frames; i += 4) {
      const p = src + (<usize>i << 3);
      const a = v128.load(p);
      const b = v128.load(p, 16);
      const l = v128.shuffle<f32>(a, b, 0, 2, 4, 6);
      const r = v128.shuffle<f32>(a, b, 1, 3, 5, 7);
      // Sanitise after the sum: Infinity + -Infinity is NaN.
      v128.store(dst + (<usize>i << 2), sanitize4(f32x4.mul(f32x4.add(l, r), half)));
    }
    for (; i < frames; i++) {
      const p = src + (<usize>i << 3);
      store<f32>(dst + (<usize>i << 2), sanitize1((load<f32>(p) + load<f32>(p, 4)) * 0.5));
    }
  } else if (kind == IN_I16_MONO) {
    const scale = f32x4.splat(1.0 / 32768.0);
    for (; i + 8 <= frames; i += 8) {
      const v = v128.load(src + (<usize>i << 1));
      const q = dst + (<usize>i << 2);
      v128.store(q, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(v)), scale));
      v128.store(q, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(v)), scale), 16);
    }
    for (; i < frames; i++) store<f32>(dst + (<usize>i << 2), <f32>load<i16>(src + (<usize>i << 1)) * (1.0 / 32768.0));
  } else {
    const scale = f32x4.splat(1.0 / 65536.0);
    for (; i + 4 <= frames; i += 4) {
      const v = v128.load(src + (<usize>i << 2));
      const a = i32x4.extend_low_i16x8_s(v);
      const b = i32x4.extend_high_i16x8_s(v);
      const sum = i32x4.add(v128.shuffle<i32>(a, b, 0, 2, 4, 6), v128.shuffle<i32>(a, b, 1, 3, 5, 7));
      v128.store(dst + (<usize>i << 2), f32x4.mul(f32x4.convert_i32x4_s(sum), scale));
    }
    for (; i < frames; i++) {
      const p = src + (<usize>i << 2);
      store<f32>(dst + (<usize>i << 2), <f32>(<i32>load<i16>(p) + <i32>load<i16>(p, 2)) * (1.0 / 65536.0));
    }
  }
}

/**
 * Float -> Int16: x * 32768, round half to even, saturate to [-32768, 32767], NaN -> 0.
 * trunc_sat maps NaN to 0 and narrow_s saturates, so the SIMD path needs no explicit clamp.
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
  for (; i < n; i++) store<i16>(dst + (<usize>i << 1), toI16(load<f32>(src + (<usize>i << 2))));
}

// @ts-ignore: decorator
@inline export function toI16(x: f32): i16 {
  const s = nearest<f32>(x * 32768);
  // Comparisons are false for NaN, which falls through to the saturating truncation (0).
  return <i16>(s >= 32767 ? 32767 : s <= -32768 ? -32768 : <i32>s);
}
