/**
 * Streaming sample-rate converter: Float32 in (mono or interleaved stereo, averaged to mono),
 * Float32 mono out, filter state kept across chunks. Linear phase; every output sample is emitted
 * as soon as its input has arrived, so the only delay is the filter's group delay (`latency`), and
 * any chunking of the same input gives the same samples.
 */
import { DspStream, type StreamOptions } from './stream.js';

export type ResamplerOptions = StreamOptions;

export class Resampler extends DspStream {
  /** Resamples one chunk; returns a new array of the output samples this chunk completed. */
  process(input: Float32Array): Float32Array {
    const frames = this.frames(
      input,
      input instanceof Float32Array,
      'Resampler.process takes a Float32Array; use PcmPipeline for Int16 input',
    );
    return this.floats(this.feed(input, frames, false)).slice();
  }

  /** Ends the stream: returns the remaining output (the filter's tail), then resets. */
  flush(): Float32Array {
    return this.floats(this.tail(false)).slice();
  }
}
