/**
 * The service's audio input for one run: whatever the application pushes (any rate, Int16, Float32
 * or 16-bit LE bytes, mono or interleaved stereo) becomes wire PCM (16-bit LE at the wire rate and
 * channel count). Nothing is allocated per chunk: the pipeline is kept while rate and channels stay,
 * and the byte and silence buffers are reused.
 */

import { TranscribeError } from './errors.js';
import type { AudioPipeline, AudioPipelineFactory } from './service-options.js';
import { StereoPipeline } from './stereo-pipeline.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export class AudioInput {
  readonly #create: AudioPipelineFactory | undefined;
  readonly #rate: 8000 | 16000;
  readonly #channels: 1 | 2;
  /** Where wire bytes go (the router's framer). */
  readonly #out: { push(bytes: Uint8Array): void };
  #pipeline: AudioPipeline | undefined;
  /** rate * 4 + channels of the current pipeline (a number: no string per chunk). */
  #key = 0;
  /** The odd byte held from the last `fromBytes`, or -1. */
  #carry = -1;
  #int16 = new Int16Array(0);
  #zeros = new ArrayBuffer(0);

  constructor(create: AudioPipelineFactory | undefined, rate: 8000 | 16000, channels: 1 | 2, out: { push(bytes: Uint8Array): void }) {
    this.#create = create;
    this.#rate = rate;
    this.#channels = channels;
    this.#out = out;
  }

  /** `input` (`rate` Hz, `channels` interleaved) as wire bytes, valid until the next call. */
  wire(input: Int16Array | Float32Array, rate: number, channels: 1 | 2): Uint8Array {
    return rate === this.#rate && channels === this.#channels && input instanceof Int16Array && LITTLE_ENDIAN
      ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
      : this.#pipelineFor(rate, channels).process(input);
  }

  /** Push the samples the pipeline still holds (resampler delay) on to the framer. */
  flush(): void {
    if (this.#pipeline) this.#out.push(this.#pipeline.flush());
  }

  #pipelineFor(rate: number, channels: 1 | 2): AudioPipeline {
    const key = rate * 4 + channels;
    if (this.#pipeline && this.#key === key) return this.#pipeline;
    const create = this.#create;
    if (!create) {
      throw new TranscribeError(
        'INVALID_AUDIO',
        `no DSP to convert ${rate} Hz ${channels}-channel audio to ${this.#rate} Hz ${this.#channels}-channel 16-bit: push that, or use your runtime's package entry point`,
      );
    }
    // The previous pipeline's held-back samples belong before the new audio.
    this.flush();
    this.#pipeline = this.#channels === 2 ? new StereoPipeline(create, rate, this.#rate) : create({ from: rate, to: this.#rate, channels });
    this.#key = key;
    return this.#pipeline;
  }

  /** 16-bit LE bytes -> Int16Array, carrying an odd byte to the next call. */
  fromBytes(bytes: Uint8Array): Int16Array | undefined {
    const carry = this.#carry;
    const held = carry >= 0 ? 1 : 0;
    const total = bytes.length + held;
    const samples = total >> 1;
    this.#carry = total & 1 ? (bytes.length ? bytes[bytes.length - 1]! : carry) : -1;
    if (samples === 0) return undefined;
    if (!held && LITTLE_ENDIAN && (bytes.byteOffset & 1) === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, samples);
    if (this.#int16.length < samples) this.#int16 = new Int16Array(Math.max(samples, 4096));
    const out = this.#int16.subarray(0, samples);
    // Byte k of the input is byte k + held of the stream; the held byte is the first low byte.
    for (let i = 0, k = -held; i < samples; i++, k += 2) out[i] = ((bytes[k + 1]! << 24) >> 16) | (k < 0 ? carry : bytes[k]!);
    return out;
  }

  /** Zeros of the same type and length as `like` (a shared buffer of zero bytes, never written). */
  zerosLike(like: Int16Array | Float32Array): Int16Array | Float32Array {
    const bytes = like.length * 4;
    if (this.#zeros.byteLength < bytes) this.#zeros = new ArrayBuffer(Math.max(bytes, 16384));
    return like instanceof Int16Array ? new Int16Array(this.#zeros, 0, like.length) : new Float32Array(this.#zeros, 0, like.length);
  }
}
