/**
 * The service's audio path in one call: Float32, Int16 or Int16 LE bytes, any rate, mono or
 * interleaved stereo in; Int16 LE bytes, mono, at the target rate out (what Amazon Transcribe's
 * AudioEvent carries). Downmix, resampling and Float -> Int16 rounding (half to even, saturating)
 * happen in one pass: on the Wasm backend the chunk is copied into Wasm memory once and the bytes
 * are read in place. Odd trailing bytes (and half stereo frames) of byte input are carried to the
 * next call, so a byte stream may be split anywhere.
 *
 *   const pcm = new PcmPipeline({ from: 48000, to: 16000, channels: 2 });
 *   socketFrame.set(pcm.process(chunk)); // a view into reused memory: copy it before the next call
 */
import { type Engine, IN_F32_MONO, IN_F32_STEREO, IN_I16_MONO, IN_I16_STEREO, maxOutput } from './engine.js';
import { DspError } from './errors.js';
import type { Quality } from './filter-design.js';
import { disposedError, flushEngine, openStream, type StreamOptions } from './stream.js';

export type PcmPipelineOptions = StreamOptions;
export type PcmInput = Float32Array | Int16Array | Uint8Array;

export class PcmPipeline {
  readonly from: number;
  readonly to: number;
  readonly channels: 1 | 2;
  readonly quality: Quality;
  /** Group delay in seconds: output lags input by this much (nothing else is held back). */
  readonly latency: number;
  private engine: Engine | null;
  /** Whether a frame arrived since the last reset (an untouched stream flushes nothing). */
  private fed = false;
  private readonly carry = new Uint8Array(4);
  private carried = 0;
  private joined: Uint8Array = new Uint8Array(0);

  constructor(options: PcmPipelineOptions) {
    const setup = openStream(options);
    this.from = options.from;
    this.to = options.to;
    this.channels = setup.channels;
    this.quality = setup.quality;
    this.latency = setup.latency;
    this.engine = setup.engine;
  }

  /**
   * Converts one chunk. Without `out`, returns a view of reused memory, valid until the next call
   * into the DSP module; with `out`, copies into it and returns the filled part.
   */
  process(input: PcmInput, out?: Uint8Array): Uint8Array {
    const bytes = this.live().bytesOut(this.run(input));
    return out === undefined ? bytes : place(bytes, out, 0).subarray(0, bytes.length);
  }

  /** Converts one chunk into `out` at `offset`; returns the bytes written (no allocation in steady state). */
  processInto(input: PcmInput, out: Uint8Array, offset = 0): number {
    const bytes = this.live().bytesOut(this.run(input));
    place(bytes, out, offset);
    return bytes.length;
  }

  /** Ends the stream: the remaining bytes (the filter's tail; a carried partial frame is dropped), then resets. */
  flush(out?: Uint8Array): Uint8Array {
    const engine = this.live();
    const bytes = engine.bytesOut(flushEngine(engine, true, this.fed));
    this.fed = false;
    this.carried = 0;
    return out === undefined ? bytes : place(bytes, out, 0).subarray(0, bytes.length);
  }

  /** Forgets all input, as if new. */
  reset(): void {
    this.live().reset();
    this.fed = false;
    this.carried = 0;
  }

  /** An upper bound of the bytes one call with `frames` input frames returns (to size `out`). */
  maxOutputBytes(frames: number): number {
    return 2 * maxOutput(this.live().table, frames + 2);
  }

  /** Frees the Wasm memory now (it is also freed when the object is garbage-collected). */
  dispose(): void {
    this.engine?.dispose();
    this.engine = null;
  }

  private live(): Engine {
    if (this.engine === null) throw disposedError();
    return this.engine;
  }

  /** Runs the engine on one chunk; returns the output sample count. */
  private run(input: PcmInput): number {
    const engine = this.live();
    const stereo = this.channels === 2;
    if (input instanceof Float32Array || input instanceof Int16Array) {
      const frames = input.length / this.channels;
      if (!Number.isInteger(frames)) {
        throw new DspError('PARTIAL_FRAME', `interleaved stereo input needs an even sample count, got ${input.length}`);
      }
      const kind = input instanceof Float32Array ? (stereo ? IN_F32_STEREO : IN_F32_MONO) : stereo ? IN_I16_STEREO : IN_I16_MONO;
      if (frames > 0) this.fed = true;
      return engine.run(input, frames, kind, true);
    }
    if (!(input instanceof Uint8Array)) {
      throw new DspError('BAD_INPUT', 'PcmPipeline.process takes a Float32Array, an Int16Array or a Uint8Array of Int16 LE bytes');
    }
    const frameBytes = 2 * this.channels;
    let data = input;
    if (this.carried > 0) {
      // Join the carried partial frame with this chunk (the only copy on this path, and rare).
      const total = this.carried + input.length;
      if (this.joined.length < total) this.joined = new Uint8Array(total + (total >> 1));
      this.joined.set(this.carry.subarray(0, this.carried));
      this.joined.set(input, this.carried);
      data = this.joined.subarray(0, total);
    }
    const frames = Math.floor(data.length / frameBytes);
    const rest = data.length - frames * frameBytes;
    for (let i = 0; i < rest; i++) this.carry[i] = data[frames * frameBytes + i] as number;
    this.carried = rest;
    if (frames === 0) return 0;
    this.fed = true;
    return engine.run(data, frames, stereo ? IN_I16_STEREO : IN_I16_MONO, true);
  }
}

function place(bytes: Uint8Array, out: Uint8Array, offset: number): Uint8Array {
  if (!(out instanceof Uint8Array) || out.length - offset < bytes.length) {
    throw new DspError('OUTPUT_TOO_SMALL', `out needs ${bytes.length} bytes from offset ${offset}; size it with maxOutputBytes(frames)`);
  }
  out.set(bytes, offset);
  return out;
}
