/**
 * Is the speaker pausing? Switching streams mid-word would split an utterance between two streams,
 * so stream switches wait for a few quiet frames (energy below about -50 dBFS).
 */

const PAUSE_ENERGY = 1e-5 * 32768 * 32768;
const PAUSE_FRAMES = 3;

export class PauseDetector {
  #quietFrames = 0;

  /** Feed one frame of 16-bit LE mono PCM. */
  track(frame: Uint8Array): void {
    let sum = 0;
    for (let i = 0; i + 1 < frame.length; i += 2) {
      const v = ((frame[i + 1]! << 24) >> 16) | frame[i]!;
      sum += v * v;
    }
    if (sum / (frame.length >> 1 || 1) < PAUSE_ENERGY) this.#quietFrames++;
    else this.#quietFrames = 0;
  }

  get paused(): boolean {
    return this.#quietFrames >= PAUSE_FRAMES;
  }
}
