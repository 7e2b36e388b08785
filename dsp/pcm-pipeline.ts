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
import { DspError } from './errors.js';
import { DspStream, type StreamOptions } from './stream.js';

export type PcmPipelineOptions = StreamOptions;
export type PcmInput = Float32Array | Int16Array | Uint8Array;

export class PcmPipeline extends DspStream {
  #carry = new Uint8Array(4);
  #carried = 0;
  #joined = new Uint8Array(0);

  /**
   * Converts one chunk. Without `out`, returns a view of reused memory, valid until the next call
   * into the DSP module; with `out`, copies into it and returns the filled part.
   */
  process(input: PcmInput, out?: Uint8Array): Uint8Array {
    return give(this.bytes(this.#run(input)), out);
  }

  /** Converts one chunk into `out` at `offset`; returns the bytes written (no allocation in steady state). */
  processInto(input: PcmInput, out: Uint8Array, offset = 0): number {
    return place(this.bytes(this.#run(input)), out, offset);
  }

  /** Ends the stream: the remaining bytes (the filter's tail; a carried partial frame is dropped), then resets. */
  flush(out?: Uint8Array): Uint8Array {
    this.#carried = 0;
    return give(this.bytes(this.tail(true)), out);
  }

  /** Forgets all input, as if new. */
  override reset(): void {
    super.reset();
    this.#carried = 0;
  }

  /** An upper bound of the bytes one call with `frames` input frames returns (to size `out`). */
  maxOutputBytes(frames: number): number {
    return 2 * this.maxOutput(frames + 2);
  }

  /** Runs one chunk; returns the output sample count. */
  #run(input: PcmInput): number {
    if (!(input instanceof Uint8Array)) {
      const ok = input instanceof Float32Array || input instanceof Int16Array;
      return this.feed(
        input,
        this.frames(
          input,
          ok,
          'PcmPipeline.process takes a Float32Array, an Int16Array or a Uint8Array of Int16 LE bytes',
        ),
        true,
      );
    }
    this.live();
    const frameBytes = 2 * this.channels;
    let data = input;
    if (this.#carried > 0) {
      // Join the carried partial frame with this chunk (the only copy on this path, and rare).
      const total = this.#carried + input.length;
      if (this.#joined.length < total) this.#joined = new Uint8Array(total + (total >> 1));
      this.#joined.set(this.#carry.subarray(0, this.#carried));
      this.#joined.set(input, this.#carried);
      data = this.#joined.subarray(0, total);
    }
    const frames = Math.floor(data.length / frameBytes);
    this.#carried = data.length - frames * frameBytes;
    for (let i = 0; i < this.#carried; i++) this.#carry[i] = data[frames * frameBytes + i]!;
    return frames === 0 ? 0 : this.feed(data, frames, true);
  }
}

/** `bytes` themselves without `out`; else copied into `out`, returning its filled part. */
function give(bytes: Uint8Array, out: Uint8Array | undefined): Uint8Array {
  return out === undefined ? bytes : out.subarray(0, place(bytes, out, 0));
}

/** Copies `bytes` into `out` at `offset`; returns the count. */
function place(bytes: Uint8Array, out: Uint8Array, offset: number): number {
  if (!(out instanceof Uint8Array) || out.length - offset < bytes.length) {
    throw new DspError(
      'OUTPUT_TOO_SMALL',
      `out needs ${bytes.length} bytes from offset ${offset}; size it with maxOutputBytes(frames)`,
    );
  }
  out.set(bytes, offset);
  return bytes.length;
}
