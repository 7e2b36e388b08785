/**
 * Is the speaker pausing? Switching streams mid-word would split an utterance between two streams,
 * so stream switches wait for a few quiet frames (energy below about -50 dBFS).
 */

const PAUSE_ENERGY = 1e-5 * 32768 * 32768;
/** Quiet frames in a row that make a pause. */
export const PAUSE_FRAMES = 3;

/** Whether one frame of 16-bit LE PCM is quiet. */
export function isQuiet(frame: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i + 1 < frame.length; i += 2) {
    const v = ((frame[i + 1]! << 24) >> 16) | frame[i]!;
    sum += v * v;
  }
  return sum / (frame.length >> 1 || 1) < PAUSE_ENERGY;
}
