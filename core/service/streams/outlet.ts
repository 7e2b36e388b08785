/**
 * Where wire audio goes: steady frames to the stream that takes audio now (the router's `target`),
 * or into the backlog while none can take them (no stream open, or its socket not keeping up).
 * Nothing is lost silently: the backlog is capped at `bufferSeconds` and what it drops is counted.
 *
 * Pace: live audio goes out as it comes. A backlog (after a reconnect, or while the socket was
 * congested) goes out BURST_SECONDS at once, then a frame at a time at CATCH_UP times real time:
 * Transcribe wants audio close to real time and answers a flood with "Your stream is too big".
 * Keep-alive silence stops AWS's 15-second idle timeout when no audio comes.
 */

import { AudioBacklog, AudioFramer } from '../audio/framer.js';
import { audioEventLength } from '../../transcribe/audio-event.js';
import type { AudioClock } from '../metrics.js';
import { isQuiet, PAUSE_FRAMES } from '../audio/pause-detector.js';
import type { ServiceDefaults } from '../defaults.js';
import type { Logger } from '../options.js';
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
  #sentBytes = 0;
  #quietFrames = 0;
  #lastPush = 0;
  /** Since when the target's socket has held more than MAX_QUEUED_SECONDS unsent. */
  #congestedSince: number | undefined;
  #droppedWarned = false;

  constructor(ctx: OutletContext) {
    this.#ctx = ctx;
  }

  /** A fresh run at `bps` wire bytes per second in frames of `frameBytes`. */
  reset(bps: number, frameBytes: number): void {
    this.target = undefined;
    this.#bps = bps;
    this.#framer = new AudioFramer(frameBytes);
    this.#backlog = new AudioBacklog(this.#ctx.options.bufferSeconds * bps);
    this.#scratch = new Uint8Array(audioEventLength(frameBytes));
    this.#drainBuf = new Uint8Array(frameBytes);
    this.#silence = new Uint8Array(frameBytes);
    this.#sentBytes = this.#quietFrames = 0;
    this.#congestedSince = undefined;
    this.#droppedWarned = false;
    this.#lastPush = this.#ctx.now();
  }

  /** Seconds of audio sent so far (on every stream of the run). */
  get sentSeconds(): number {
    return this.#sentBytes / this.#bps;
  }

  /** Seconds of audio waiting in the backlog. */
  get queuedSeconds(): number {
    return this.#backlog.size / this.#bps;
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
    if (this.#backlog.size > 0) this.#startDrain();
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
      if (s?.state === 'open' && this.#ctx.now() - this.#lastPush >= keepAliveMs && this.#backlog.size === 0) {
        this.flush();
        const frames = Math.ceil(1000 / frameMs);
        let sent = 0;
        while (sent < frames && this.#sendIfRoom(s, this.#silence)) sent++;
        this.#ctx.counters.keepAliveSeconds += (sent * this.#silence.length) / this.#bps;
      }
      this.keepAlive(stopping);
    }, 1000);
  }

  readonly #onFrame = (frame: Uint8Array): void => {
    this.#quietFrames = isQuiet(frame) ? this.#quietFrames + 1 : 0;
    const s = this.target;
    if (!(s && this.#backlog.size === 0 && this.#sendIfRoom(s, frame))) this.#buffer(frame);
    this.#ctx.afterFrame();
  };

  /** Send on `s` unless its socket holds too much already; false (nothing counted) when not sent. */
  #sendIfRoom(s: TranscribeStream, pcm: Uint8Array): boolean {
    if (s.bufferedAmount > this.#bps * MAX_QUEUED_SECONDS) return false;
    if (!s.sendAudio(pcm, this.#scratch)) return false;
    this.#sentBytes += pcm.length;
    const seconds = (this.#ctx.counters.sentSeconds = this.#sentBytes / this.#bps);
    this.#ctx.clock.mark(seconds, this.#ctx.now());
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

  /** Send up to `maxBytes` from the front of the backlog, while the socket takes it. */
  #sendBacklog(s: TranscribeStream, maxBytes: number): void {
    const backlog = this.#backlog;
    const buf = this.#drainBuf;
    for (let sent = 0; sent < maxBytes && backlog.size > 0; ) {
      const n = backlog.peekInto(buf);
      if (!this.#sendIfRoom(s, buf.subarray(0, n))) return;
      backlog.discard(n);
      sent += n;
    }
  }

  #startDrain(): void {
    const timer = this.#ctx.drainTimer;
    if (timer.pending || this.target?.state !== 'open' || this.#backlog.size === 0) return;
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
    if (this.#backlog.size > 0) this.#startDrain();
    else this.#ctx.drained(s);
  };
}
