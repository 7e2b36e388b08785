/**
 * The pure-TypeScript resampler backend: the same algorithm as dsp/assembly/fir.ts, sample for
 * sample (Float32 history, the same tables, the same block and compaction rule), accumulating in
 * float64. Used where WebAssembly or Wasm SIMD is missing (QuickJS, Hermes, old Safari) and as
 * the tests' cross-check.
 */
import {
  type Engine,
  type EngineInput,
  IN_F32_MONO,
  IN_F32_STEREO,
  IN_I16_MONO,
  IN_I16_STEREO,
  maxOutput,
} from './engine.js';
import type { FilterTable } from './filter-design.js';
import { roundToInt16 } from './round.js';

/** Input frames taken per block; the history holds taps + BLOCK samples. */
const BLOCK = 1024;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** NaN -> 0, +-Infinity -> +-1, as the Wasm kernel does (x - x is 0 only for finite x). */
function sanitize(x: number): number {
  return x - x === 0 ? x : x > 0 ? 1 : x < 0 ? -1 : 0;
}

export class JsFirEngine implements Engine {
  readonly table: FilterTable;
  private readonly hist: Float32Array;
  private hlen = 0;
  private start = 0;
  private phase = 0;
  private outF32: Float32Array = new Float32Array(0);
  private outI16: Int16Array = new Int16Array(0);
  private outBytes: Uint8Array = new Uint8Array(0);

  constructor(table: FilterTable) {
    this.table = table;
    this.hist = new Float32Array(table.taps + BLOCK);
    this.reset();
  }

  reset(): void {
    this.hist.fill(0);
    this.hlen = this.table.taps - 1; // a silent past, so the first output needs only the first sample
    this.start = 0;
    this.phase = 0;
  }

  position(): [number, number, number] {
    return [this.hlen, this.start, this.phase];
  }

  dispose(): void {}

  floatOut(n: number): Float32Array {
    return this.outF32.subarray(0, n);
  }

  bytesOut(n: number): Uint8Array {
    if (!LITTLE_ENDIAN) {
      for (let i = 0; i < n; i++) {
        const v = this.outI16[i] as number;
        this.outBytes[2 * i] = v & 0xff;
        this.outBytes[2 * i + 1] = (v >> 8) & 0xff;
      }
    }
    return this.outBytes.subarray(0, 2 * n);
  }

  run(input: EngineInput, frames: number, kind: number, toInt16: boolean): number {
    const { L, taps, interp, coefs } = this.table;
    const M = this.table.M;
    const need = maxOutput(this.table, frames);
    if (toInt16 && this.outI16.length < need) {
      this.outI16 = new Int16Array(need + (need >> 1));
      this.outBytes = LITTLE_ENDIAN ? new Uint8Array(this.outI16.buffer) : new Uint8Array(this.outI16.length * 2);
    } else if (!toInt16 && this.outF32.length < need) {
      this.outF32 = new Float32Array(need + (need >> 1));
    }
    const outF = this.outF32;
    const outI = this.outI16;
    const hist = this.hist;
    const cap = hist.length;
    if (L === 1 && M === 1) {
      // Same rate: no filter, no delay; only the format changes (history used as scratch).
      if (toInt16 && kind === IN_I16_MONO && input instanceof Int16Array) {
        outI.set(input.subarray(0, frames));
        return frames;
      }
      for (let done = 0; done < frames; ) {
        const n = Math.min(frames - done, cap);
        ingest(input, kind, done, n, hist, 0);
        if (toInt16) for (let i = 0; i < n; i++) outI[done + i] = roundToInt16((hist[i] as number) * 32768);
        else outF.set(hist.subarray(0, n), done);
        done += n;
      }
      return frames;
    }
    const dq = Math.floor(M / L);
    const dp = M % L;
    let hlen = this.hlen;
    let start = this.start;
    let phase = this.phase;
    let produced = 0;
    let done = 0;
    for (;;) {
      const n = Math.min(frames - done, cap - hlen);
      ingest(input, kind, done, n, hist, hlen);
      done += n;
      hlen += n;
      while (start + taps <= hlen) {
        let y: number;
        if (interp === 0) {
          y = dot(coefs, phase * taps, hist, start, taps);
        } else {
          const num = phase * interp;
          const r = Math.floor(num / L);
          const s0 = dot(coefs, r * taps, hist, start, taps);
          const s1 = dot(coefs, (r + 1) * taps, hist, start, taps);
          y = s0 + Math.fround((num - r * L) / L) * (s1 - s0);
        }
        if (toInt16) outI[produced] = roundToInt16(Math.fround(y) * 32768);
        else outF[produced] = y;
        produced++;
        phase += dp;
        start += dq;
        if (phase >= L) {
          phase -= L;
          start++;
        }
      }
      if (start >= hlen) {
        start -= hlen;
        hlen = 0;
      } else if (start > 0) {
        hist.copyWithin(0, start, hlen);
        hlen -= start;
        start = 0;
      }
      if (done === frames) break;
    }
    this.hlen = hlen;
    this.start = start;
    this.phase = phase;
    return produced;
  }
}

function dot(c: Float32Array, co: number, x: Float32Array, xo: number, taps: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const d = xo - co;
  const end = co + taps;
  for (let i = co; i < end; i += 4) {
    s0 += (c[i] as number) * (x[i + d] as number);
    s1 += (c[i + 1] as number) * (x[i + d + 1] as number);
    s2 += (c[i + 2] as number) * (x[i + d + 2] as number);
    s3 += (c[i + 3] as number) * (x[i + d + 3] as number);
  }
  return s0 + s1 + (s2 + s3);
}

/** Appends `n` frames from frame `from` of `input` to `hist` at `at`, as sanitised mono floats. */
function ingest(input: EngineInput, kind: number, from: number, n: number, hist: Float32Array, at: number): void {
  if (input instanceof Uint8Array) {
    // Int16 LE bytes, in any alignment and on any host byte order.
    const ch = kind === IN_I16_STEREO ? 2 : 1;
    let b = from * 2 * ch;
    for (let i = 0; i < n; i++) {
      let v = (((input[b] as number) | ((input[b + 1] as number) << 8)) << 16) >> 16;
      if (ch === 2) v += (((input[b + 2] as number) | ((input[b + 3] as number) << 8)) << 16) >> 16;
      hist[at + i] = v / (32768 * ch);
      b += 2 * ch;
    }
    return;
  }
  if (kind === IN_F32_MONO) {
    for (let i = 0; i < n; i++) hist[at + i] = sanitize(input[from + i] as number);
  } else if (kind === IN_F32_STEREO) {
    for (let i = 0, j = 2 * from; i < n; i++, j += 2) {
      hist[at + i] = sanitize(Math.fround((input[j] as number) + (input[j + 1] as number)) * 0.5);
    }
  } else if (kind === IN_I16_MONO) {
    for (let i = 0; i < n; i++) hist[at + i] = (input[from + i] as number) / 32768;
  } else {
    for (let i = 0, j = 2 * from; i < n; i++, j += 2) {
      hist[at + i] = ((input[j] as number) + (input[j + 1] as number)) / 65536;
    }
  }
}
