/**
 * Sample-format helpers. Conventions: Int16 -> Float is v / 32768 (exact), Float -> Int16 is
 * x * 32768 rounded half to even and saturated to [-32768, 32767] with NaN -> 0, so Int16 ->
 * Float -> Int16 is the identity. `floatToInt16` runs in Wasm SIMD for longer arrays; the others
 * are memory-bound plain loops where a copy into Wasm memory would cost more than it saves.
 */
import { DspError } from './errors.js';
import { roundToInt16 } from './round.js';
import { wasmRuntime } from './kernel/runtime.js';
import { LITTLE_ENDIAN } from './endian.js';

/** Below this many samples the copies into and out of Wasm memory cost more than the SIMD saves. */
const WASM_MIN = 256;
/** Samples converted per Wasm call, so the staging block stays small. */
const WASM_SLICE = 16384;

function output<T extends Float32Array | Int16Array>(
  name: string,
  out: T | undefined,
  n: number,
  make: (n: number) => T,
): T {
  if (out === undefined) return make(n);
  if (out.length < n) throw new DspError('OUTPUT_TOO_SMALL', `${name}: out holds ${out.length} samples, needs ${n}`);
  return out;
}

function check(name: string, input: unknown, type: 'Float32Array' | 'Int16Array' | 'Uint8Array', ok: boolean): void {
  if (!ok)
    throw new DspError(
      'BAD_INPUT',
      `${name} takes a ${type}, got ${Object.prototype.toString.call(input).slice(8, -1)}`,
    );
}

/** Float -> Int16: x * 32768, round half to even, saturate, NaN -> 0. Returns `out` (or a new array). */
export function floatToInt16(input: Float32Array, out?: Int16Array): Int16Array {
  check('floatToInt16', input, 'Float32Array', input instanceof Float32Array);
  const n = input.length;
  const dst = output('floatToInt16', out, n, (k) => new Int16Array(k));
  const rt = n >= WASM_MIN ? wasmRuntime() : null;
  if (rt?.exports == null) {
    for (let i = 0; i < n; i++) dst[i] = roundToInt16((input[i] as number) * 32768);
    return dst;
  }
  const slice = Math.min(n, WASM_SLICE);
  const src = rt.stage(slice * 6);
  const mid = src + slice * 4;
  rt.sync();
  for (let done = 0; done < n; done += slice) {
    const k = Math.min(slice, n - done);
    rt.f32.set(k === n ? input : input.subarray(done, done + k), src >> 2);
    rt.exports.f32ToI16(src, mid, k);
    dst.set(rt.i16.subarray(mid >> 1, (mid >> 1) + k), done);
  }
  return dst;
}

/** Int16 -> Float: v / 32768. */
export function int16ToFloat(input: Int16Array, out?: Float32Array): Float32Array {
  check('int16ToFloat', input, 'Int16Array', input instanceof Int16Array);
  const n = input.length;
  const dst = output('int16ToFloat', out, n, (k) => new Float32Array(k));
  for (let i = 0; i < n; i++) dst[i] = (input[i] as number) / 32768;
  return dst;
}

/** Interleaved stereo -> mono, (left + right) / 2. */
export function downmixStereo(input: Float32Array, out?: Float32Array): Float32Array {
  check('downmixStereo', input, 'Float32Array', input instanceof Float32Array);
  if (input.length % 2 !== 0) {
    throw new DspError(
      'PARTIAL_FRAME',
      `downmixStereo needs an even sample count (interleaved L R), got ${input.length}`,
    );
  }
  const n = input.length / 2;
  const dst = output('downmixStereo', out, n, (k) => new Float32Array(k));
  for (let i = 0, j = 0; i < n; i++, j += 2) dst[i] = ((input[j] as number) + (input[j + 1] as number)) * 0.5;
  return dst;
}

/** Int16 little-endian bytes (any alignment) -> Int16Array. The byte count must be even. */
export function int16FromBytesLE(bytes: Uint8Array, out?: Int16Array): Int16Array {
  check('int16FromBytesLE', bytes, 'Uint8Array', bytes instanceof Uint8Array);
  if (bytes.length % 2 !== 0) {
    throw new DspError(
      'PARTIAL_FRAME',
      `int16FromBytesLE needs an even byte count, got ${bytes.length}; carry the odd byte to the next chunk`,
    );
  }
  const n = bytes.length / 2;
  const dst = output('int16FromBytesLE', out, n, (k) => new Int16Array(k));
  if (LITTLE_ENDIAN) {
    // A byte copy is the whole conversion on little-endian hosts, whatever the source alignment.
    new Uint8Array(dst.buffer, dst.byteOffset, n * 2).set(bytes);
  } else {
    for (let i = 0; i < n; i++) dst[i] = (((bytes[2 * i] as number) | ((bytes[2 * i + 1] as number) << 8)) << 16) >> 16;
  }
  return dst;
}
