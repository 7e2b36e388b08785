/**
 * Where wire audio goes: steady frames to the stream that takes audio now (the router's `target`),
 * or into the backlog while none can take them (no stream open, or its socket not keeping up).
 * Nothing is lost silently: the backlog is capped at `bufferSeconds` and what it drops is counted.
 *
 * Pace: live audio goes out as it comes. A backlog (after a reconnect, or while the socket was
 * congested) goes out BURST_SECONDS at once, then a frame at a time at CATCH_UP times real time:
 * Transcribe wants audio close to real time and answers a flood with "Your stream is too big".
 * Keep-alive silence stops AWS's 15-second idle timeout when no audio comes.
 *
 * Replay: the newest `replaySeconds` of sent audio are kept (ReplayRing); after a stream dropped,
 * `rewindIfDropped()` takes what no final had covered into the replay queue, which goes out before
 * the backlog, so the stream that takes over hears it again. The timeline (what result times and
 * offsets count) then steps back to where the replay starts; `sentSeconds` of the counters counts
 * every byte sent (what AWS bills). The backlog keeps its `bufferSeconds` cap: a replay is extra.
 */

import { AudioBacklog, AudioFramer } from '../audio/framer.js';
import { audioEventLength } from '../../transcribe/audio-event.js';
import type { AudioClock } from '../metrics.js';
import { isQuiet, PAUSE_FRAMES } from '../audio/pause-detector.js';
import type { ServiceDefaults } from '../defaults.js';
import type { Logger } from '../options.js';
import type { TranscriptResult } from '../../transcribe/transcript.js';
import { Confirmations, ReplayRing } from './replay.js';
import type { TranscribeStream } from './stream.js';
import type { Timer } from '../timer.js';

/** Audio the socket may hold unsent before frames wait in the backlog instead. */
export const MAX_QUEUED_SECONDS = 2;
/** A socket that takes no data for this long is given up on (the server stopped reading). */
export const STALL_MS = 10_000;
/** After a reconnect, this much of the backlog goes at once; the rest at CATCH_UP times real time. */
export const BURST_SECONDS = 1;
export const CATCH_UP = 2;

export interface OutletCounters {
  bufferedSeconds: number;
  droppedSeconds: number;
  keepAliveSeconds: number;
  sentSeconds: number;
}

export interface OutletContext {
  readonly options: ServiceDefaults;
  readonly counters: OutletCounters;
  readonly clock: AudioClock;
  readonly log: Logger;
  now(): number;
  /** Timers of the outlet's own (the router makes them, with its error guard). */
  readonly drainTimer: Timer;
  readonly keepAliveTimer: Timer;
  /** After every frame: the router may switch streams at a pause. */
  afterFrame(): void;
  /** The backlog is empty again while the target is open. */
  drained(target: TranscribeStream): void;
  /** The target's socket has taken nothing for STALL_MS. */
  stalled(target: TranscribeStream): void;
}

export class AudioOutlet {
  /** The stream that takes audio now; set by the router. */
  target: TranscribeStream | undefined;
  readonly #ctx: OutletContext;
  // Set by reset(), before anything uses them.
  #bps = 0;
  #framer!: AudioFramer;
  #backlog!: AudioBacklog;
  #scratch!: Uint8Array;
  #drainBuf!: Uint8Array;
  #silence!: Uint8Array;
  /** Bytes of one sample frame (2 mono, 4 stereo): a replay starts on a frame. */
  #sampleBytes = 2;
  #replay: ReplayRing | undefined;
  /** How far the finals have got; whether the stream that takes over first hears what they had not. */
  readonly #confirmations = new Confirmations();
  /** Set when the current stream dropped: the timeline second its audio started at. */
  #droppedAt: number | undefined;
  #channels: 1 | 2 = 1;
  /** Timeline position of the next byte sent (bytes). */
  #timeline = 0;
  /** Bytes sent in all, replays included. */
  #sentTotal = 0;
  /** Audio to hear again (already on the timeline, already kept), sent before the backlog. */
  #replayQueue: Uint8Array = new Uint8Array(0);
  #replayAt = 0;
  #quietFrames = 0;
  #lastPush = 0;
  /** Since when the target's socket has held more than MAX_QUEUED_SECONDS unsent. */
  #congestedSince: number | undefined;
  #droppedWarned = false;

  constructor(ctx: OutletContext) {
    this.#ctx = ctx;
  }

  /** A fresh run at `bps` wire bytes per second (`channels` interleaved) in frames of `frameBytes`. */
  reset(bps: number, frameBytes: number, channels: 1 | 2): void {
    this.target = undefined;
    this.#bps = bps;
    this.#framer = new AudioFramer(frameBytes);
    this.#sampleBytes = 2 * channels;
    // Whole sample frames: an overflow that dropped half a stereo frame would swap the channels.
    const backlogBytes = Math.floor((this.#ctx.options.bufferSeconds * bps) / this.#sampleBytes) * this.#sampleBytes;
    this.#backlog = new AudioBacklog(backlogBytes);
    this.#scratch = new Uint8Array(audioEventLength(frameBytes));
    this.#drainBuf = new Uint8Array(frameBytes);
    this.#silence = new Uint8Array(frameBytes);
    this.#channels = channels;
    this.#confirmations.reset();
    this.#droppedAt = undefined;
    const replayBytes = Math.floor((this.#ctx.options.replaySeconds * bps) / this.#sampleBytes) * this.#sampleBytes;
    this.#replay = replayBytes > 0 ? new ReplayRing(replayBytes) : undefined;
    this.#replayQueue = new Uint8Array(0);
    this.#timeline = this.#sentTotal = this.#replayAt = this.#quietFrames = 0;
    this.#congestedSince = undefined;
    this.#droppedWarned = false;
    this.#lastPush = this.#ctx.now();
  }

  /** Where the timeline is: seconds of audio of the run sent so far (a replay steps it back). */
  get sentSeconds(): number {
    return this.#timeline / this.#bps;
  }

  /**
   * Results as delivered: the finals among them say how far the audio was heard. Only the current
   * stream's partials say speech is under way (a draining stream's results end before its audio).
   */
  heard(results: readonly TranscriptResult[], current: boolean): void {
    this.#confirmations.see(results, current);
  }

  /**
   * The current stream, whose audio started at timeline second `offset`, dropped while it carried
   * audio: the next one should hear again what it had not finished. What came before `offset` went
   * to a stream that is still draining, and its finals come from there.
   */
  dropped(offset: number): void {
    this.#droppedAt = offset;
  }

  /**
   * After a stream dropped: the kept audio no final covered becomes the replay queue, sent before
   * the backlog, for the next stream to hear again. Returns its seconds (0 when nothing dropped).
   */
  rewindIfDropped(): number {
    const ring = this.#replay;
    const from = this.#replayFrom();
    this.#droppedAt = undefined;
    if (!ring || from === undefined) return 0;
    // A replay still under way is in the ring already: what is left of it is not queued twice.
    this.#replayQueue = ring.since(from);
    this.#replayAt = 0;
    this.#timeline = ring.end - this.#replayQueue.length;
    return this.#replayQueue.length / this.#bps;
  }

  /** Seconds the next stream will hear again beyond what is queued (after a drop, before it took over). */
  get pendingReplaySeconds(): number {
    const ring = this.#replay;
    const from = this.#replayFrom();
    if (!ring || from === undefined) return 0;
    return Math.max(0, ring.end - Math.max(from, ring.start) - this.#replayLeft) / this.#bps;
  }

  /** After a drop, the timeline byte (on a sample frame) from which no final covered the audio. */
  #replayFrom(): number | undefined {
    if (this.#droppedAt === undefined) return undefined;
    const seconds = Math.max(this.#droppedAt, this.#confirmations.confirmed(this.sentSeconds, this.#channels));
    return Math.floor((seconds * this.#bps) / this.#sampleBytes) * this.#sampleBytes;
  }

  get #replayLeft(): number {
    return this.#replayQueue.length - this.#replayAt;
  }

  /** Bytes waiting to be sent: the replay queue and the backlog. */
  get #queuedBytes(): number {
    return this.#replayLeft + this.#backlog.size;
  }

  /** Seconds still to send, with the replay a drop left pending: what stop() waits for. */
  get toSendSeconds(): number {
    return this.queuedSeconds + this.pendingReplaySeconds;
  }

  /** Seconds of audio waiting to be sent: the replay queue and the backlog. */
  get queuedSeconds(): number {
    return this.#queuedBytes / this.#bps;
  }

  /** The speaker is pausing (a few quiet frames in a row): a good moment to switch streams. */
  get paused(): boolean {
    return this.#quietFrames >= PAUSE_FRAMES;
  }

  /** Wire bytes in, pushed at `now`: framed, then sent or kept in the backlog. */
  push(bytes: Uint8Array, now: number): void {
    this.#lastPush = now;
    this.#framer.push(bytes, this.#onFrame);
  }

  /** Send what the framer holds as a last short frame. */
  flush(): void {
    this.#framer.flush(this.#onFrame);
  }

  /** A new target took over: the first second of the backlog goes at once, the rest at the catch-up pace. */
  startOn(s: TranscribeStream): void {
    this.target = s;
    this.#congestedSince = undefined;
    this.#droppedWarned = false;
    this.#sendBacklog(s, this.#bps * BURST_SECONDS);
    if (this.#queuedBytes > 0) this.#startDrain();
    else this.#ctx.drained(s);
  }

  /** The target closed: audio waits in the backlog for the next one. */
  detach(s: TranscribeStream): void {
    if (this.target !== s) return;
    this.target = undefined;
    this.#ctx.drainTimer.stop();
    this.#congestedSince = undefined;
  }

  /** Send silence when no audio came for keepAliveMs (checked every second). */
  keepAlive(stopping: () => boolean): void {
    const { keepAliveMs, frameMs } = this.#ctx.options;
    if (keepAliveMs <= 0) return;
    this.#ctx.keepAliveTimer.start(() => {
      if (stopping()) return;
      const s = this.target;
      if (s?.state === 'open' && this.#ctx.now() - this.#lastPush >= keepAliveMs && this.#queuedBytes === 0) {
        this.flush();
        const frames = Math.ceil(1000 / frameMs);
        let sent = 0;
        while (sent < frames && this.#sendIfRoom(s, this.#silence, false)) sent++;
        this.#ctx.counters.keepAliveSeconds += (sent * this.#silence.length) / this.#bps;
      }
      this.keepAlive(stopping);
    }, 1000);
  }

  readonly #onFrame = (frame: Uint8Array): void => {
    this.#quietFrames = isQuiet(frame) ? this.#quietFrames + 1 : 0;
    const s = this.target;
    if (!(s && this.#queuedBytes === 0 && this.#sendIfRoom(s, frame, false))) this.#buffer(frame);
    this.#ctx.afterFrame();
  };

  /** Send on `s` unless its socket holds too much already; false (nothing counted) when not sent. */
  #sendIfRoom(s: TranscribeStream, pcm: Uint8Array, replayed: boolean): boolean {
    if (s.bufferedAmount > this.#bps * MAX_QUEUED_SECONDS) return false;
    if (!s.sendAudio(pcm, this.#scratch)) return false;
    if (!replayed) this.#replay?.record(pcm);
    this.#timeline += pcm.length;
    this.#sentTotal += pcm.length;
    this.#ctx.counters.sentSeconds = this.#sentTotal / this.#bps;
    this.#ctx.clock.mark(this.#timeline / this.#bps, this.#ctx.now());
    return true;
  }

  #buffer(frame: Uint8Array): void {
    const { counters, log, options } = this.#ctx;
    const dropped = this.#backlog.push(frame);
    counters.bufferedSeconds += frame.length / this.#bps;
    if (dropped > 0) {
      counters.droppedSeconds += dropped / this.#bps;
      if (!this.#droppedWarned) {
        this.#droppedWarned = true;
        log.warn?.(
          `no stream took audio for over bufferSeconds (${options.bufferSeconds} s): dropping the oldest audio`,
        );
      }
    }
    this.#startDrain();
  }

  /** Send up to `maxBytes` of the replay queue, then of the backlog, while the socket takes it. */
  #sendBacklog(s: TranscribeStream, maxBytes: number): void {
    const backlog = this.#backlog;
    const buf = this.#drainBuf;
    let sent = 0;
    while (sent < maxBytes && this.#replayLeft > 0) {
      const n = Math.min(buf.length, this.#replayLeft);
      if (!this.#sendIfRoom(s, this.#replayQueue.subarray(this.#replayAt, this.#replayAt + n), true)) return;
      this.#replayAt += n;
      sent += n;
    }
    while (sent < maxBytes && backlog.size > 0) {
      const n = backlog.peekInto(buf);
      if (!this.#sendIfRoom(s, buf.subarray(0, n), false)) return;
      backlog.discard(n);
      sent += n;
    }
  }

  #startDrain(): void {
    const timer = this.#ctx.drainTimer;
    if (timer.pending || this.target?.state !== 'open' || this.#queuedBytes === 0) return;
    timer.start(this.#drainTick, this.#ctx.options.frameMs / CATCH_UP);
  }

  /** One frame of the backlog, unless the socket is congested (for too long: the target is stalled). */
  readonly #drainTick = (): void => {
    const s = this.target;
    if (s?.state !== 'open') return;
    const now = this.#ctx.now();
    if (s.bufferedAmount > this.#bps * MAX_QUEUED_SECONDS) {
      this.#congestedSince ??= now;
      if (now - this.#congestedSince >= STALL_MS) return this.#ctx.stalled(s);
    } else {
      this.#congestedSince = undefined;
      this.#sendBacklog(s, this.#drainBuf.length);
    }
    if (this.#queuedBytes > 0) this.#startDrain();
    else this.#ctx.drained(s);
  };
}
