/**
 * Time-to-final-segment (TTFS) the way Pipecat measures it: from the end of the user's speech
 * (`userStoppedSpeaking()`, when a VAD says so) or else from the moment the audio at the result's
 * end time was pushed, to the arrival of the final transcript. Keeps the last `capacity` samples
 * for running percentiles.
 */
export class LatencyStats {
  readonly #samples: Float64Array;
  #count = 0;
  #next = 0;

  constructor(capacity = 1024) {
    this.#samples = new Float64Array(capacity);
  }

  add(seconds: number): void {
    this.#samples[this.#next] = seconds;
    this.#next = (this.#next + 1) % this.#samples.length;
    if (this.#count < this.#samples.length) this.#count++;
  }

  get count(): number {
    return this.#count;
  }

  /** The p-th percentile (0..100, nearest rank) of the kept samples, or undefined with none. */
  percentile(p: number): number | undefined {
    if (this.#count === 0) return undefined;
    const sorted = this.#samples.slice(0, this.#count).sort();
    const rank = Math.min(this.#count - 1, Math.max(0, Math.ceil((p / 100) * this.#count) - 1));
    return sorted[rank];
  }
}

/**
 * Remembers when audio was pushed, by position in the audio timeline (seconds of wire audio),
 * so a final's `EndTime` maps back to the wall time its audio arrived. A ring of the last
 * `capacity` frames (at 100 ms frames, 102 s).
 */
export class AudioClock {
  readonly #ends: Float64Array;
  readonly #times: Float64Array;
  #count = 0;
  #next = 0;

  constructor(capacity = 1024) {
    this.#ends = new Float64Array(capacity);
    this.#times = new Float64Array(capacity);
  }

  /** Audio up to `endSeconds` on the timeline was pushed at `wallMs`. */
  mark(endSeconds: number, wallMs: number): void {
    this.#ends[this.#next] = endSeconds;
    this.#times[this.#next] = wallMs;
    this.#next = (this.#next + 1) % this.#ends.length;
    if (this.#count < this.#ends.length) this.#count++;
  }

  /** Wall time at which the audio at `seconds` had been pushed, if still remembered. */
  wallTimeAt(seconds: number): number | undefined {
    const cap = this.#ends.length;
    // Oldest to newest: the first frame whose end reaches `seconds`.
    for (let k = 0; k < this.#count; k++) {
      const i = (this.#next - this.#count + k + cap) % cap;
      if (this.#ends[i]! >= seconds - 1e-9) return this.#times[i];
    }
    return undefined;
  }
}
