/**
 * What Resampler and PcmPipeline share: option checks, the stream's block in the runtime's memory
 * (state and history), feeding chunks through the kernel, flush, reset and dispose.
 */
import { DspError } from './errors.js';
import { checkQuality, checkRate, filterTable, type FilterTable, type Quality } from './filter-design.js';
import { runtime, type Runtime } from './kernel/runtime.js';
import { LITTLE_ENDIAN } from './endian.js';
import {
  IN_F32_MONO,
  IN_F32_STEREO,
  IN_I16_MONO,
  IN_I16_STEREO,
  STATE_BYTES,
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
} from './kernel/layout.js';

export interface StreamOptions {
  /** Input sample rate, an integer from 8000 to 192000 Hz. */
  from: number;
  /** Output sample rate, an integer from 8000 to 192000 Hz (Transcribe takes 8000 or 16000). */
  to: number;
  /** Input channels: 1, or 2 for interleaved stereo, averaged to mono. Default 1. */
  channels?: 1 | 2;
  /** Filter quality, default 'high' (figures in dsp/README.md). */
  quality?: Quality;
}

/** Input: floats, Int16 in host order, or Int16 LE bytes. */
export type Chunk = Float32Array | Int16Array | Uint8Array;

/** Input frames per history block (any size gives the same samples; this one bounds memory). */
const BLOCK = 1024;
/** Frames staged per kernel call, so one huge input does not grow the staging block without bound. */
const STAGE_FRAMES = 65536;

/** The kernel's input kind (layout.ts) for a chunk of `channels` channels; bytes are Int16 LE. */
function inputKind(input: Chunk, channels: number): number {
  if (input instanceof Float32Array) return channels === 2 ? IN_F32_STEREO : IN_F32_MONO;
  return channels === 2 ? IN_I16_STEREO : IN_I16_MONO;
}

/** What the finaliser frees; no reference back to the stream, so the stream can be collected. */
interface Block {
  rt: Runtime;
  table: FilterTable;
  ptr: number;
  size: number;
}

function free(b: Block): void {
  if (b.size === 0) return;
  b.rt.release(b.ptr);
  b.rt.releaseTable(b.table);
  b.size = 0;
}

const registry: FinalizationRegistry<Block> | null =
  typeof FinalizationRegistry === 'function' ? new FinalizationRegistry(free) : null;
let zeros = new Float32Array(0);

export class DspStream {
  // `declare`: assigned in the constructor, no field initialiser to emit.
  declare readonly from: number;
  declare readonly to: number;
  declare readonly channels: 1 | 2;
  declare readonly quality: Quality;
  /** Group delay in seconds: output lags input by this much (nothing else is held back). */
  declare readonly latency: number;
  #block: Block | null;
  /** Where the last call's output is (in the runtime's staging block). */
  #out = 0;
  /** Whether a frame arrived since the last reset (an untouched stream flushes nothing). */
  #fed = false;
  #bytes: Uint8Array = new Uint8Array(0);

  constructor(options: StreamOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new DspError('BAD_RATE', 'options must be an object such as { from: 48000, to: 16000 }');
    }
    const from = checkRate('from', options.from);
    const channels = options.channels ?? 1;
    const to = checkRate('to', options.to);
    if (channels !== 1 && channels !== 2) {
      throw new DspError('BAD_CHANNELS', `channels must be 1 or 2 (interleaved stereo), got ${String(channels)}`);
    }
    this.quality = checkQuality(options.quality ?? 'high');
    this.from = from;
    this.to = to;
    this.channels = channels;
    const table = filterTable(from, to, this.quality);
    const { L, M, taps, interp } = table;
    this.latency = table.delay / from;
    const rt = runtime();
    const dq = Math.floor(M / L);
    const cap = taps + BLOCK;
    // The Wasm kernel's pair step may read dq floats past the history (see dotPair).
    const size = STATE_BYTES + (cap + dq + 4) * 4;
    const coef = rt.acquireTable(table);
    const ptr = rt.alloc(size);
    this.#block = { rt, table, ptr, size };
    rt.sync();
    // The state block (kernel/layout.ts); #reset sets the window position (HLEN, START, PHASE).
    const field = (offset: number, value: number): void => {
      rt.i32[(ptr + offset) >> 2] = value;
    };
    field(STATE_L, L);
    field(STATE_M, M);
    field(STATE_TAPS, taps);
    field(STATE_COEF, coef);
    field(STATE_HIST, ptr + STATE_BYTES);
    field(STATE_CAP, cap);
    field(STATE_DQ, dq);
    field(STATE_DP, M % L);
    field(STATE_INTERP, interp);
    this.#reset();
    registry?.register(this, this.#block, this.#block);
  }

  /** Forgets all input, as if new. */
  reset(): void {
    this.#reset();
  }

  #reset(): void {
    const { rt, ptr, table } = this.#live();
    rt.sync();
    const hist = (ptr + STATE_BYTES) >> 2;
    rt.f32.fill(0, hist, hist + table.taps);
    // A silent past, so the first output needs only the first sample; window start and phase 0.
    rt.i32[(ptr + STATE_HLEN) >> 2] = table.taps - 1;
    rt.i32[(ptr + STATE_START) >> 2] = 0;
    rt.i32[(ptr + STATE_PHASE) >> 2] = 0;
    this.#fed = false;
  }

  /** Frees the memory now (it is also freed when the object is garbage-collected). */
  dispose(): void {
    const b = this.#block;
    if (b === null) return;
    registry?.unregister(b);
    free(b);
    this.#block = null;
  }

  /** Throws DISPOSED after dispose(). */
  protected live(): void {
    this.#live();
  }

  /** An upper bound of the samples one call with `frames` input frames returns. */
  protected maxOutput(frames: number): number {
    this.#live();
    return Math.floor((frames * this.to) / this.from) + 2;
  }

  /** Frames in a typed-array chunk, after checking that the stream is live and the type is `ok`. */
  protected frames(input: Chunk, ok: boolean, wrongType: string): number {
    this.#live();
    if (!ok) throw new DspError('BAD_INPUT', wrongType);
    const frames = input.length / this.channels;
    if (!Number.isInteger(frames)) {
      throw new DspError('PARTIAL_FRAME', `interleaved stereo input needs an even sample count, got ${input.length}`);
    }
    return frames;
  }

  /**
   * Runs `frames` frames of `input` (a Uint8Array holds Int16 LE bytes; it may hold more) through
   * the kernel. Returns the output sample count; the output is at `output()`.
   */
  protected feed(input: Chunk, frames: number, toInt16: boolean, channels: number = this.channels): number {
    const { rt, ptr } = this.#live();
    const kind = inputKind(input, channels);
    // Float32 samples, or Int16 ones (an Int16Array or LE bytes).
    const frameBytes = (input instanceof Float32Array ? 4 : 2) * channels;
    const elements = frameBytes / input.BYTES_PER_ELEMENT;
    // Input and output share the runtime's staging block: the output is a view valid until the
    // next call into the DSP module anyway (Resampler copies it; PcmPipeline documents it).
    const inBytes = (Math.min(frames, STAGE_FRAMES) * frameBytes + 15) & ~15;
    const src = rt.stage(inBytes + this.maxOutput(frames) * 4);
    rt.sync();
    if (frames > 0) this.#fed = true;
    this.#out = src + inBytes;
    let produced = 0;
    for (let done = 0; done < frames; ) {
      const n = Math.min(frames - done, STAGE_FRAMES);
      const part =
        n === frames && input.length === n * elements ? input : input.subarray(done * elements, (done + n) * elements);
      if (part instanceof Float32Array) rt.f32.set(part, src >> 2);
      else if (part instanceof Int16Array) rt.i16.set(part, src >> 1);
      else {
        rt.u8.set(part, src);
        // The TypeScript kernel reads Int16 in host order: swap LE bytes on a big-endian host.
        if (!LITTLE_ENDIAN && rt.exports === null) {
          for (let i = src; i < src + part.length; i += 2) {
            const lo = rt.u8[i]!;
            rt.u8[i] = rt.u8[i + 1]!;
            rt.u8[i + 1] = lo;
          }
        }
      }
      produced += rt.resample(ptr, src, n, kind, this.#out + produced * (toInt16 ? 2 : 4), toInt16);
      done += n;
    }
    return produced;
  }

  /**
   * Ends the stream: runs the tail (outputs standing for input already received) through the
   * kernel, then resets. Returns the output sample count.
   */
  protected tail(toInt16: boolean): number {
    const { rt, ptr, table } = this.#live();
    const { L, M, taps, delay } = table;
    rt.sync();
    const hlen = rt.i32[(ptr + STATE_HLEN) >> 2]!;
    // Walk the phase from the kernel's position: output n stands for input time n*M/L - delay, and
    // the stream ends at input index hlen (exclusive).
    let q = rt.i32[(ptr + STATE_START) >> 2]! + taps - 1;
    let p = rt.i32[(ptr + STATE_PHASE) >> 2]!;
    let outputs = 0;
    let lastQ = hlen - 1;
    while (this.#fed && q - hlen + p / L < delay) {
      outputs++;
      lastQ = q;
      p += M % L;
      q += Math.floor(M / L);
      if (p >= L) {
        p -= L;
        q++;
      }
    }
    if (outputs > 0) {
      const need = lastQ - hlen + 1;
      if (zeros.length < need) zeros = new Float32Array(need);
      this.feed(zeros.subarray(0, need), need, toInt16, 1);
    }
    this.#reset();
    return outputs;
  }

  /** The last call's Float32 output (a view, valid until the next call into the DSP module). */
  protected floats(n: number): Float32Array {
    const { rt } = this.#live();
    rt.sync();
    return rt.f32.subarray(this.#out >> 2, (this.#out >> 2) + n);
  }

  /** The last call's Int16 LE output (a view, valid until the next call into the DSP module). */
  protected bytes(n: number): Uint8Array {
    const { rt } = this.#live();
    rt.sync();
    // Steady chunks give the same count call after call: reuse the view instead of allocating one.
    const last = this.#bytes;
    const at = this.#out;
    if (last.buffer !== rt.u8.buffer || last.byteOffset !== at || last.length !== 2 * n)
      this.#bytes = rt.u8.subarray(at, at + 2 * n);
    return this.#bytes;
  }

  #live(): Block {
    if (this.#block === null) throw new DspError('DISPOSED', 'this object was disposed; create a new one');
    return this.#block;
  }
}
