// The audio of a call on the service's timeline, from what the emulator's streams received: a
// stream that took over after a drop first heard again the end of what came before it (its
// ConnectedEvent's replayedSeconds). That head must be exactly those bytes, and counts once.
import { concatBytes, firstDifference } from './bytes.ts';

/**
 * `streams` in the order they carried audio, each with the bytes its head replayed. Throws when a
 * replayed head is not the audio that came just before it on the timeline.
 */
export function timelineAudio(streams: readonly { audio: Uint8Array; replayedBytes: number }[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let length = 0;
  streams.forEach(({ audio, replayedBytes }, k) => {
    if (replayedBytes > length || replayedBytes > audio.length)
      throw new Error(`stream ${k + 1} replayed ${replayedBytes} bytes: only ${length} came before it`);
    if (replayedBytes > 0) {
      const before = lastBytes(parts, replayedBytes);
      const at = firstDifference(audio.subarray(0, replayedBytes), before);
      if (at >= 0) throw new Error(`stream ${k + 1}'s replayed head differs from the audio before it at byte ${at}`);
    }
    parts.push(audio.subarray(replayedBytes));
    length += audio.length - replayedBytes;
  });
  return concatBytes(parts);
}

/** The last `n` bytes of `parts` joined, from the newest parts only (the timeline may be long). */
function lastBytes(parts: readonly Uint8Array[], n: number): Uint8Array {
  const tail: Uint8Array[] = [];
  for (let k = parts.length - 1, need = n; k >= 0 && need > 0; k--) {
    const p = parts[k]!;
    tail.unshift(p.subarray(Math.max(0, p.length - need)));
    need -= p.length;
  }
  return concatBytes(tail);
}

/**
 * Pairs the emulator's sessions that received audio with the service's `connected` events, in
 * order (only a stream that became current gets audio, and each announces itself once).
 */
export function receivedStreams(
  sessions: readonly { audio: Uint8Array }[],
  replayedSeconds: readonly number[],
  bytesPerSecond: number,
): { audio: Uint8Array; replayedBytes: number }[] {
  const heard = sessions.filter((s) => s.audio.length > 0);
  if (heard.length !== replayedSeconds.length)
    throw new Error(`${heard.length} streams received audio, ${replayedSeconds.length} became current`);
  return heard.map((s, i) => ({ audio: s.audio, replayedBytes: Math.round(replayedSeconds[i]! * bytesPerSecond) }));
}

/**
 * Bytes at the start of `after` that repeat the end of `before` (whole 2-byte samples, at most
 * `max`): a replay, where the stream's own ConnectedEvent cannot be seen (the LiveKit plugin).
 */
export function replayedOverlap(before: Uint8Array, after: Uint8Array, max: number): number {
  for (let r = Math.min(max, before.length, after.length) & ~1; r > 0; r -= 2)
    if (firstDifference(before.subarray(before.length - r), after.subarray(0, r)) === -1) return r;
  return 0;
}
