/**
 * The service's audio input for one run: whatever the application pushes (any rate, Int16, Float32
 * or 16-bit LE bytes, mono or interleaved stereo) becomes wire PCM (16-bit LE at the wire rate and
 * channel count), handed to `out` (the router).
 *
 * A push need not hold whole frames: an odd trailing byte, or the left sample of a stereo frame
 * whose right sample comes in the next push, is carried over, so channels never swap and nothing is
 * lost whatever the chunking. Nothing is allocated per chunk: the pipeline is kept while rate and
 * channels stay, and the byte, carry and silence buffers are reused.
 */

import { TranscribeError } from '../../errors.js';
import type { AudioPipeline, AudioPipelineFactory } from '../options.js';
import { StereoPipeline } from './stereo.js';
import { LITTLE_ENDIAN } from '../../encoding/endian.js';

type Samples = Int16Array | Float32Array;

export class AudioInput {
  readonly #create: AudioPipelineFactory | undefined;
  readonly #rate: 8000 | 16000;
  readonly #channels: 1 | 2;
  /** Where wire bytes go (the router). */
  readonly #out: { push(bytes: Uint8Array, now: number): void };
  /** Where a half frame that could not be completed is counted. */
  readonly #counters: { droppedSeconds: number };
  /** When the push being handled was made. */
  #now = 0;
  #pipeline: AudioPipeline | undefined;
  /** rate * 4 + channels of the current pipeline (a number: no string per chunk). */
  #key = 0;
  /** The odd byte held from the last byte push, or -1. */
  #carryByte = -1;
  /** The first sample of a stereo frame whose second sample has not come yet (in `#pair[0]`). */
  #carrySample = false;
  /** A whole frame made of the carried sample and the next push's first (reused, by type). */
  readonly #pairI16 = new Int16Array(2);
  readonly #pairF32 = new Float32Array(2);
  #int16 = new Int16Array(0);
  #zeros = new ArrayBuffer(0);

  constructor(
    create: AudioPipelineFactory | undefined,
    rate: 8000 | 16000,
    channels: 1 | 2,
    out: { push(bytes: Uint8Array, now: number): void },
    counters: { droppedSeconds: number },
  ) {
    this.#create = create;
    this.#rate = rate;
    this.#channels = channels;
    this.#out = out;
    this.#counters = counters;
  }

  /** One push of `channels`-channel audio at `rate` Hz (silence of the same length when `muted`). */
  push(audio: Samples | Uint8Array, rate: number, channels: 1 | 2, muted: boolean, now: number): void {
    this.#now = now;
    if (audio instanceof Uint8Array) {
      const samples = this.#fromBytes(audio);
      if (samples) this.#samples(muted ? this.#zerosLike(samples) : samples, rate, channels);
      return;
    }
    this.#dropByte(rate);
    this.#samples(muted ? this.#zerosLike(audio) : audio, rate, channels);
  }

  /** Push the samples the pipeline still holds (resampler delay) on to the router. */
  flush(now: number): void {
    this.#now = now;
    this.#dropByte(this.#rate);
    this.#dropSample(this.#rate);
    if (this.#pipeline) this.#out.push(this.#pipeline.flush(), now);
  }

  /** Whole frames only reach the pipeline: a stereo push of an odd sample count carries its last sample. */
  #samples(input: Samples, rate: number, channels: 1 | 2): void {
    const now = this.#now;
    if (channels === 1) {
      // A half stereo frame cannot be completed by mono audio.
      this.#dropSample(rate);
      if (input.length > 0) this.#out.push(this.#wire(input, rate, 1), now);
      return;
    }
    let rest = input;
    if (this.#carrySample && rest.length > 0) {
      this.#carrySample = false;
      const pair = rest instanceof Int16Array ? this.#pairI16 : this.#pairF32;
      pair[1] = rest[0]!;
      // The carried sample was kept in both types; the pair takes the type of this push.
      this.#out.push(this.#wire(pair, rate, 2), now);
      rest = rest.subarray(1);
    }
    const whole = rest.length & ~1;
    if (whole > 0) this.#out.push(this.#wire(rest.subarray(0, whole), rate, 2), now);
    if (whole < rest.length) {
      const last = rest[whole]!;
      this.#carrySample = true;
      if (rest instanceof Int16Array) {
        this.#pairI16[0] = last;
        this.#pairF32[0] = last / 32768;
      } else {
        this.#pairF32[0] = last;
        this.#pairI16[0] = Math.max(-32768, Math.min(32767, Math.round(last * 32768))) || 0;
      }
    }
  }

  /** `input` (`rate` Hz, `channels` interleaved) as wire bytes, valid until the next call. */
  #wire(input: Samples, rate: number, channels: 1 | 2): Uint8Array {
    return rate === this.#rate && channels === this.#channels && input instanceof Int16Array && LITTLE_ENDIAN
      ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
      : this.#pipelineFor(rate, channels).process(input);
  }

  #pipelineFor(rate: number, channels: 1 | 2): AudioPipeline {
    const key = rate * 4 + channels;
    if (this.#pipeline && this.#key === key) return this.#pipeline;
    const create = this.#create;
    if (!create) {
      throw new TranscribeError(
        'INVALID_AUDIO',
        `no DSP to convert ${rate} Hz ${channels}-channel audio to ${this.#rate} Hz ${this.#channels}-channel ` +
          `16-bit: push that, or use your runtime's package entry point`,
      );
    }
    // The previous pipeline's held-back samples belong before the new audio.
    if (this.#pipeline) this.#out.push(this.#pipeline.flush(), this.#now);
    this.#pipeline =
      this.#channels === 2
        ? new StereoPipeline(create, rate, this.#rate)
        : create({ from: rate, to: this.#rate, channels });
    this.#key = key;
    return this.#pipeline;
  }

  /** 16-bit LE bytes -> Int16Array, carrying an odd byte to the next call. */
  #fromBytes(bytes: Uint8Array): Int16Array | undefined {
    const carry = this.#carryByte;
    const held = carry >= 0 ? 1 : 0;
    const total = bytes.length + held;
    const samples = total >> 1;
    this.#carryByte = total & 1 ? (bytes.length ? bytes[bytes.length - 1]! : carry) : -1;
    if (samples === 0) return undefined;
    if (!held && LITTLE_ENDIAN && (bytes.byteOffset & 1) === 0)
      return new Int16Array(bytes.buffer, bytes.byteOffset, samples);
    if (this.#int16.length < samples) this.#int16 = new Int16Array(Math.max(samples, 4096));
    const out = this.#int16.subarray(0, samples);
    // Byte k of the input is byte k + held of the stream; the held byte is the first low byte.
    for (let i = 0, k = -held; i < samples; i++, k += 2)
      out[i] = ((bytes[k + 1]! << 24) >> 16) | (k < 0 ? carry : bytes[k]!);
    return out;
  }

  /** An odd byte cannot be completed by a push of samples (nor at the end). */
  #dropByte(rate: number): void {
    if (this.#carryByte < 0) return;
    this.#carryByte = -1;
    this.#counters.droppedSeconds += 0.5 / rate;
  }

  #dropSample(rate: number): void {
    if (!this.#carrySample) return;
    this.#carrySample = false;
    this.#counters.droppedSeconds += 0.5 / rate;
  }

  /** Zeros of the same type and length as `like` (a shared buffer of zero bytes, never written). */
  #zerosLike(like: Samples): Samples {
    const bytes = like.length * 4;
    if (this.#zeros.byteLength < bytes) this.#zeros = new ArrayBuffer(Math.max(bytes, 16384));
    return like instanceof Int16Array
      ? new Int16Array(this.#zeros, 0, like.length)
      : new Float32Array(this.#zeros, 0, like.length);
  }
}
