/**
 * Two-channel wire audio for channel identification (`enableChannelIdentification` with
 * `numberOfChannels: 2`): Transcribe then wants interleaved 16-bit stereo, so each channel gets
 * its own mono pipeline (resampling without downmix) and the outputs are interleaved again.
 * Buffers are reused; they grow only when a larger chunk arrives.
 */

import type { AudioPipeline, AudioPipelineFactory } from './service-options.js';

export class StereoPipeline implements AudioPipeline {
  readonly #left: AudioPipeline;
  readonly #right: AudioPipeline;
  #f32 = new Float32Array(0);
  #i16 = new Int16Array(0);
  #leftOut = new Uint8Array(0);
  #out = new Uint8Array(0);

  constructor(create: AudioPipelineFactory, from: number, to: 8000 | 16000) {
    this.#left = create({ from, to, channels: 1 });
    this.#right = create({ from, to, channels: 1 });
  }

  process(input: Float32Array | Int16Array): Uint8Array {
    const frames = input.length >> 1;
    // One channel at a time through the scratch buffer; the left output is copied out first
    // because a pipeline's result is only valid until the next call.
    const left = this.#keep(this.#left.process(this.#channel(input, 0, frames)));
    return this.#interleave(left, this.#right.process(this.#channel(input, 1, frames)));
  }

  flush(): Uint8Array {
    const left = this.#keep(this.#left.flush());
    return this.#interleave(left, this.#right.flush());
  }

  #channel(input: Float32Array | Int16Array, c: number, frames: number): Float32Array | Int16Array {
    if (input instanceof Float32Array) {
      if (this.#f32.length < frames) this.#f32 = new Float32Array(frames);
      const out = this.#f32.subarray(0, frames);
      for (let i = 0; i < frames; i++) out[i] = input[2 * i + c]!;
      return out;
    }
    if (this.#i16.length < frames) this.#i16 = new Int16Array(frames);
    const out = this.#i16.subarray(0, frames);
    for (let i = 0; i < frames; i++) out[i] = input[2 * i + c]!;
    return out;
  }

  #keep(bytes: Uint8Array): Uint8Array {
    if (this.#leftOut.length < bytes.length) this.#leftOut = new Uint8Array(bytes.length * 2);
    this.#leftOut.set(bytes);
    return this.#leftOut.subarray(0, bytes.length);
  }

  #interleave(left: Uint8Array, right: Uint8Array): Uint8Array {
    const n = Math.min(left.length, right.length) & ~1;
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
