/**
 * Float -> Int16 rounding shared by the TypeScript paths: round half to even (as Wasm `nearest`),
 * saturate, NaN -> 0. Adding and subtracting 1.5 * 2^52 rounds a double to an integer in the
 * current (nearest-even) mode: ~5x faster than Math.round in V8 and JSC, and half-even where
 * Math.round rounds half up.
 */
const MAGIC = 6755399441055744;

/** `s` is already scaled by 32768. NaN fails both comparisons and the Int16Array store makes it 0. */
export function roundToInt16(s: number): number {
  return s >= 32767 ? 32767 : s <= -32768 ? -32768 : s + MAGIC - MAGIC;
}
