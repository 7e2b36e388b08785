/**
 * Time-to-final-segment (TTFS) the way Pipecat measures it: from the end of the user's speech
 * (`userStoppedSpeaking()`, when a VAD says so) or else from the moment the audio at the result's
 * end time was pushed, to the arrival of the final transcript. Keeps the last `capacity` samples
 * for running percentiles.
 */
export class LatencyStats {
  readonly #samples: Float64Array;
  /** Samples added in all; the ring holds the last `capacity`. */
  #added = 0;

  constructor(capacity = 1024) {
    this.#samples = new Float64Array(capacity);
  }

  add(seconds: number): void {
    this.#samples[this.#added++ % this.#samples.length] = seconds;
  }

  /** The p-th percentile (0..100, nearest rank) of the kept samples, or undefined with none. */
  percentile(p: number): number | undefined {
    const n = Math.min(this.#added, this.#samples.length);
    return n ? this.#samples.slice(0, n).sort()[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))] : undefined;
  }
}

/**
 * Remembers when audio was pushed, by position in the audio timeline (seconds of wire audio),
 * so a final's `EndTime` maps back to the wall time its audio arrived. A ring of the last
 * `capacity` frames (at 100 ms frames, 102 s): [end seconds, wall ms] pairs.
 */
export class AudioClock {
  readonly #ring: Float64Array;
  #marked = 0;

  constructor(capacity = 1024) {
    this.#ring = new Float64Array(capacity * 2);
  }

  /** Audio up to `endSeconds` on the timeline was pushed at `wallMs`. */
  mark(endSeconds: number, wallMs: number): void {
    const i = (this.#marked++ * 2) % this.#ring.length;
    this.#ring[i] = endSeconds;
    this.#ring[i + 1] = wallMs;
  }

  /** Wall time at which the audio at `seconds` had been pushed, if still remembered. */
  wallTimeAt(seconds: number): number | undefined {
    const ring = this.#ring;
    // Oldest to newest: the first frame whose end reaches `seconds`.
    for (let k = Math.max(0, this.#marked - ring.length / 2); k < this.#marked; k++) {
      const i = (k * 2) % ring.length;
      if (ring[i]! >= seconds - 1e-9) return ring[i + 1];
    }
    return undefined;
  }
}
