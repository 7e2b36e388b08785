/**
 * Recorded audio at the pace of speech, for whoever pushes a file or a buffer (the command line,
 * the LiveKit plugin's `recognize()`, an application). Transcribe wants audio "as close to real time as
 * possible" (streaming best practices) and answers a flood with "Your stream is too big", so a
 * file is paced: at `speed` times real time, after an initial burst of at most `burstSeconds`.
 */

export interface PacerOptions {
  /** 1 = real time. */
  speed: number;
  /** Audio that may go out ahead of the pace at the start. */
  burstSeconds: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class Pacer {
  readonly speed: number;
  readonly burstSeconds: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #startedAt = 0;

  constructor(o: PacerOptions) {
    this.speed = o.speed;
    this.burstSeconds = o.burstSeconds;
    this.#now = o.now ?? Date.now;
    this.#sleep = o.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  start(): void {
    this.#startedAt = this.#now();
  }

  /** Wall-clock ms (since start) before which audio up to `audioSeconds` should not have been sent. */
  dueMs(audioSeconds: number): number {
    return (Math.max(0, audioSeconds - this.burstSeconds) / this.speed) * 1000;
  }

  /** Waits until audio up to `audioSeconds` may have been sent. A source slower than the pace is never delayed. */
  async wait(audioSeconds: number): Promise<void> {
    const ahead = this.#startedAt + this.dueMs(audioSeconds) - this.#now();
    if (ahead >= 1) await this.#sleep(ahead);
  }
}
