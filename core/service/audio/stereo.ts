/**
 * Two-channel wire audio for channel identification (`enableChannelIdentification` with
 * `numberOfChannels: 2`): Transcribe then wants interleaved 16-bit stereo, so each channel gets
 * its own mono pipeline (resampling without downmix) and the outputs are interleaved again.
 * Buffers are reused; they grow only when a larger chunk arrives.
 */

import type { AudioPipeline, AudioPipelineFactory } from '../options.js';

export class StereoPipeline implements AudioPipeline {
  readonly #left: AudioPipeline;
  readonly #right: AudioPipeline;
  #f32 = new Float32Array(0);
  #i16 = new Int16Array(0);
  #leftOut = new Uint8Array(0);
  #leftLength = 0;
  #out = new Uint8Array(0);

  constructor(create: AudioPipelineFactory, from: number, to: 8000 | 16000) {
    this.#left = create({ from, to, channels: 1 });
    this.#right = create({ from, to, channels: 1 });
  }

  process(input: Float32Array | Int16Array): Uint8Array {
    // One channel at a time through the scratch buffer; the left output is copied out first
    // because a pipeline's result is only valid until the next call.
    this.#keepLeft(this.#left.process(this.#channel(input, 0)));
    return this.#interleave(this.#right.process(this.#channel(input, 1)));
  }

  flush(): Uint8Array {
    this.#keepLeft(this.#left.flush());
    return this.#interleave(this.#right.flush());
  }

  #channel(input: Float32Array | Int16Array, c: number): Float32Array | Int16Array {
    const frames = input.length >> 1;
    const f32 = input instanceof Float32Array;
    if ((f32 ? this.#f32 : this.#i16).length < frames) {
      if (f32) this.#f32 = new Float32Array(frames);
      else this.#i16 = new Int16Array(frames);
    }
    const out = (f32 ? this.#f32 : this.#i16).subarray(0, frames);
    for (let i = 0; i < frames; i++) out[i] = input[2 * i + c]!;
    return out;
  }

  #keepLeft(bytes: Uint8Array): void {
    if (this.#leftOut.length < bytes.length) this.#leftOut = new Uint8Array(bytes.length * 2);
    this.#leftOut.set(bytes);
    this.#leftLength = bytes.length;
  }

  /** The kept left output interleaved with `right`, sample by sample. */
  #interleave(right: Uint8Array): Uint8Array {
    const left = this.#leftOut;
    const n = Math.min(this.#leftLength, right.length) & ~1;
    if (this.#out.length < n * 2) this.#out = new Uint8Array(n * 4);
    const out = this.#out;
    for (let i = 0, o = 0; i < n; i += 2, o += 4) {
      out[o] = left[i]!;
      out[o + 1] = left[i + 1]!;
      out[o + 2] = right[i]!;
      out[o + 3] = right[i + 1]!;
    }
    return out.subarray(0, n * 2);
  }
}
