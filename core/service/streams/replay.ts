/**
 * What lets an utterance survive a dropped stream. AWS keeps nothing between streams: the words
 * sent on a stream that drops before their final are gone with it. So the outlet keeps the audio it
 * sent lately (ReplayRing, up to `replaySeconds`), the router notes how far the finals have got
 * (Confirmations), and the stream that takes over first hears again what no final covered yet.
 */

import { AudioBacklog } from '../audio/framer.js';
import type { TranscriptResult } from '../../transcribe/transcript.js';

/** Results of the same channel count together; AWS sends ch_0 and ch_1 at most (as result-delivery.ts). */
const CHANNELS = ['', 'ch_0', 'ch_1'];
/**
 * Speech a partial would not show yet: with no partial pending, audio older than this before the
 * present counts as heard (silence, or speech whose final came).
 */
const NO_PARTIAL_YET_SECONDS = 2;

/** The newest sent audio, by its place on the service's timeline (bytes from the start of the run). */
export class ReplayRing {
  readonly #ring: AudioBacklog;
  /** Timeline position just after the newest byte kept. */
  #end = 0;

  constructor(capacityBytes: number) {
    this.#ring = new AudioBacklog(capacityBytes);
  }

  /** Bytes sent for the first time, at the end of the timeline. */
  record(bytes: Uint8Array): void {
    this.#ring.push(bytes);
    this.#end += bytes.length;
  }

  /** The kept audio from timeline byte `from` on (or from the oldest kept), as a copy. */
  since(from: number): Uint8Array {
    const ring = this.#ring;
    if (from > this.start) ring.discard(Math.min(ring.size, from - this.start));
    const out = new Uint8Array(ring.size);
    ring.peekInto(out);
    return out;
  }

  /** Timeline position of the oldest byte kept. */
  get start(): number {
    return this.#end - this.#ring.size;
  }

  /** Timeline position just after the newest byte kept. */
  get end(): number {
    return this.#end;
  }
}

/** How far the finals have got, per channel, on the service's timeline. */
export class Confirmations {
  /** End of the last final of each channel (seconds). */
  readonly #finalEnd = [0, 0, 0];
  /** A partial came after the channel's last final: speech under way. */
  readonly #pending = [false, false, false];

  reset(): void {
    this.#finalEnd.fill(0);
    this.#pending.fill(false);
  }

  /**
   * Results as delivered (times already on the service's timeline). `current`: from the stream that
   * takes audio now; a draining stream's late final says nothing of the speech under way.
   */
  see(results: readonly TranscriptResult[], current: boolean): void {
    for (const r of results) {
      const c = Math.max(0, CHANNELS.indexOf(r.ChannelId ?? ''));
      if (current) this.#pending[c] = r.IsPartial;
      if (!r.IsPartial) this.#finalEnd[c] = Math.max(this.#finalEnd[c]!, r.EndTime);
    }
  }

  /** The timeline second before which every channel's speech has had its final, at `now` (seconds sent). */
  confirmed(now: number, channels: 1 | 2): number {
    let at = now;
    for (const c of channels === 2 ? [1, 2] : [0]) {
      const end = this.#finalEnd[c]!;
      at = Math.min(at, this.#pending[c] ? end : Math.max(end, now - NO_PARTIAL_YET_SECONDS));
    }
    return Math.max(0, at);
  }
}
