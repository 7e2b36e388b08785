/**
 * Streaming sample-rate converter: Float32 in (mono or interleaved stereo, averaged to mono),
 * Float32 mono out, filter state kept across chunks. Linear phase; every output sample is emitted
 * as soon as its input has arrived, so the only delay is the filter's group delay (`latency`), and
 * any chunking of the same input gives the same samples.
 */
import { IN_F32_MONO, IN_F32_STEREO, type Engine } from './engine.js';
import { DspError } from './errors.js';
import type { Quality } from './filter-design.js';
import { disposedError, flushEngine, openStream, type StreamOptions } from './stream.js';

export type ResamplerOptions = StreamOptions;

export class Resampler {
  readonly from: number;
  readonly to: number;
  readonly channels: 1 | 2;
  readonly quality: Quality;
  /** Group delay in seconds: output lags input by this much (nothing else is held back). */
  readonly latency: number;
  private engine: Engine | null;
  /** Whether a frame arrived since the last reset (an untouched stream flushes nothing). */
  private fed = false;

  constructor(options: ResamplerOptions) {
    const setup = openStream(options);
    this.from = options.from;
    this.to = options.to;
    this.channels = setup.channels;
    this.quality = setup.quality;
    this.latency = setup.latency;
    this.engine = setup.engine;
  }

  /** Resamples one chunk; returns a new array of the output samples this chunk completed. */
  process(input: Float32Array): Float32Array {
    const engine = this.live();
    if (!(input instanceof Float32Array)) {
      throw new DspError('BAD_INPUT', 'Resampler.process takes a Float32Array; use PcmPipeline for Int16 input');
    }
    const frames = input.length / this.channels;
    if (!Number.isInteger(frames)) {
      throw new DspError('PARTIAL_FRAME', `interleaved stereo input needs an even sample count, got ${input.length}`);
    }
    if (frames > 0) this.fed = true;
    const n = engine.run(input, frames, this.channels === 2 ? IN_F32_STEREO : IN_F32_MONO, false);
    return engine.floatOut(n).slice();
  }

  /** Ends the stream: returns the remaining output (the filter's tail), then resets. */
  flush(): Float32Array {
    const engine = this.live();
    const n = flushEngine(engine, false, this.fed);
    this.fed = false;
    return n === 0 ? new Float32Array(0) : engine.floatOut(n).slice();
  }

  /** Forgets all input, as if new. */
  reset(): void {
    this.live().reset();
    this.fed = false;
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
}
