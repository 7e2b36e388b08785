/**
 * The streams of an AWSTranscribeSTTService: the first connect, reconnects with backoff and a
 * quick-failure guard, keep-alive silence, and make-before-break switches (settings changes,
 * credential refresh, 4-hour rotation) taken at a pause in speech. Wire frames come in through
 * `push`; each goes to the open stream, or to the backlog while none is open.
 *
 * It reads the service's public fields (options, runtime, log, counters, region, wireRate) and
 * reaches the rest through a `RouterHost` (service-host.ts) the service builds; neither is public API.
 */

import { AudioBacklog, AudioFramer } from './audio-framer.js';
import { audioEventLength } from './audio-event.js';
import type { CredentialCache } from './credentials.js';
import { TranscribeError } from './errors.js';
import { isQuiet, PAUSE_FRAMES } from './pause-detector.js';
import type { AWSTranscribeSTTService } from './service.js';
import type { RouterHost } from './service-host.js';
import { MAX_STREAM_MS } from './service-options.js';
import { redactUrl } from './sigv4.js';
import type { Credentials } from './sigv4.js';
import type { SocketCloseInfo } from './socket.js';
import { lostError, TranscribeStream } from './stream.js';
import type { StreamHandlers } from './stream.js';
import { describeEndpoint, sessionUuid } from './stream-target.js';

type SwitchReason = 'settings' | 'rotation' | 'credentials';

/** A stream that dies this soon after opening, this many times in a row, is fatal (Pipecat's guard). */
const QUICK_FAILURE_MS = 2000;
const QUICK_FAILURE_LIMIT = 3;
/** Indexes into the timer handles. */
const RETRY = 0;
const KEEP_ALIVE = 1;
const ROTATE = 2;
const SWITCH_BY = 3;

export class SessionRouter {
  /** When audio was last pushed (keep-alive sends silence only after a quiet while). */
  lastPush = 0;

  readonly #svc: AWSTranscribeSTTService;
  readonly #h: RouterHost;
  /** Bumped by start(): work of an earlier run (a pending connect) sees it and stops. */
  #run = 0;
  // Set by start(), before anything uses them.
  #creds!: CredentialCache;
  /** Wire bytes per second. */
  #bps!: number;
  #framer!: AudioFramer;
  #backlog!: AudioBacklog;
  #scratch!: Uint8Array;
  #drainBuf!: Uint8Array;
  #silence!: Uint8Array;
  #set!: (fn: () => void, ms: number) => unknown;
  #clear!: (handle: unknown) => void;
  #timers!: unknown[];
  #cur: TranscribeStream | undefined;
  #next: TranscribeStream | undefined;
  #nextReason: SwitchReason = 'settings';
  readonly #draining = new Set<TranscribeStream>();
  #streams = 0;
  #sentBytes = 0;
  #attempt = 0;
  #quickFailures = 0;
  #quietFrames = 0;
  #stopping = false;
  #droppedWarned = false;
  #startWaiter: (() => void) | undefined;
  #switchWaiters: (() => void)[] = [];
  #stopWaiter: (() => void) | undefined;

  readonly #handlers: StreamHandlers = {
    open: (s) => this.#opened(s),
    transcript: (s, event) => this.#h.deliver(event, s.offset),
    closed: (s, error, info) => this.#closed(s, error, info),
  };

  constructor(svc: AWSTranscribeSTTService, host: RouterHost) {
    this.#svc = svc;
    this.#h = host;
  }

  /** A fresh run: nothing of the last one carries over (before the metadata frame, so its listeners see the new run). */
  reset(creds: CredentialCache, bps: number, frameBytes: number): void {
    const svc = this.#svc;
    const rt = svc.runtime;
    this.#run++;
    this.#creds = creds;
    this.#bps = bps;
    this.#framer = new AudioFramer(frameBytes);
    this.#backlog = new AudioBacklog((svc.options.bufferSeconds ?? 15) * bps);
    this.#scratch = new Uint8Array(audioEventLength(frameBytes));
    this.#drainBuf = new Uint8Array(frameBytes);
    this.#silence = new Uint8Array(frameBytes);
    this.#set = rt.setTimeout ?? setTimer;
    this.#clear = rt.clearTimeout ?? clearTimer;
    this.#streams = this.#sentBytes = this.#attempt = this.#quickFailures = this.#quietFrames = 0;
    this.#stopping = this.#droppedWarned = false;
    this.#timers = [];
    this.lastPush = this.#h.now();
  }

  /** Connect and keep alive; resolves once the first stream is open or the service gave up. */
  start(): Promise<void> {
    const started = new Promise<void>((resolve) => (this.#startWaiter = resolve));
    void this.#connect();
    this.#keepAliveLoop();
    return started;
  }

  /** Wire bytes in: framed, then sent or kept in the backlog. */
  push(bytes: Uint8Array): void {
    this.#framer.push(bytes, this.#onFrame);
  }

  /** Send what the framer holds as a last short frame. */
  flush(): void {
    this.#framer.flush(this.#onFrame);
  }

  /**
   * Make-before-break: open a new stream now, move the audio over at the next pause (bounded
   * wait). Resolves once the new stream carries the audio, or the attempt ended.
   */
  switch(reason: SwitchReason): Promise<void> {
    const done = new Promise<void>((resolve) => this.#switchWaiters.push(resolve));
    const cur = this.#cur;
    if (!cur || cur.state !== 'open') {
      // Nothing live to keep: reconnect at once (audio waits in the backlog meanwhile).
      if (cur?.state === 'connecting') cur.close('settings changed');
      else if (this.#timers[RETRY] === undefined) void this.#connect();
      return done;
    }
    this.#next?.close('superseded');
    this.#nextReason = reason;
    void this.#connect(reason);
    return done;
  }

  /**
   * End every stream: send the empty AudioEvent and wait (bounded) for the last results. Audio
   * still in the backlog (a drop just before stop) is delivered first, on a new stream if needed.
   */
  end(timeoutMs: number): Promise<void> {
    this.#stopping = true;
    this.#clearTimer(KEEP_ALIVE);
    this.#clearTimer(ROTATE);
    this.#next?.close('stopping');
    const cur = this.#cur;
    if (cur?.state === 'open') cur.end();
    if (!this.#backlog.size) this.#clearTimer(RETRY);
    if (this.#idle()) return Promise.resolve(this.#cleanup());
    return new Promise<void>((resolve) => {
      const timer = this.#set(() => {
        this.#svc.log.warn?.(`stop(): not done after stopTimeoutMs (${timeoutMs} ms); closing`);
        this.cancel();
      }, timeoutMs);
      this.#stopWaiter = () => {
        this.#stopWaiter = undefined;
        this.#clear(timer);
        this.#cleanup();
        resolve();
      };
    });
  }

  /** Close every stream now, dropping unsent audio and pending results. */
  cancel(): void {
    this.#stopping = true;
    for (const s of [this.#cur, this.#next, ...this.#draining]) s?.close('cancelled');
    this.#cur = this.#next = undefined;
    this.#draining.clear();
    this.#cleanup();
    this.#stopWaiter?.();
  }

  // ---- the audio path ---------------------------------------------------------------------------------

  /** One wire frame from the framer: send it, or keep it until a stream is open. */
  readonly #onFrame = (frame: Uint8Array): void => {
    this.#quietFrames = isQuiet(frame) ? this.#quietFrames + 1 : 0;
    const s = this.#cur;
    if (!(s && this.#backlog.size === 0 && this.#send(s, frame))) this.#buffer(frame);
    if (this.#next?.state === 'open' && this.#paused()) this.#switchNow();
  };

  #paused(): boolean {
    return this.#quietFrames >= PAUSE_FRAMES;
  }

  /** Send on `s`; false (nothing counted) when it no longer takes audio. */
  #send(s: TranscribeStream, pcm: Uint8Array): boolean {
    if (!s.sendAudio(pcm, this.#scratch)) return false;
    this.#sentBytes += pcm.length;
    const seconds = (this.#svc.counters.sentSeconds = this.#sentBytes / this.#bps);
    this.#h.clock.mark(seconds, this.#h.now());
    return true;
  }

  #buffer(frame: Uint8Array): void {
    const bps = this.#bps;
    const dropped = this.#backlog.push(frame);
    const svc = this.#svc;
    const c = svc.counters;
    c.bufferedSeconds += frame.length / bps;
    if (dropped > 0) {
      c.droppedSeconds += dropped / bps;
      if (!this.#droppedWarned) {
        this.#droppedWarned = true;
        svc.log.warn?.(`no stream for over bufferSeconds (${svc.options.bufferSeconds ?? 15} s): dropping the oldest audio`);
      }
    }
  }

  // ---- streams ----------------------------------------------------------------------------------------

  async #connect(reason?: SwitchReason): Promise<void> {
    const run = this.#run;
    const svc = this.#svc;
    const h = this.#h;
    this.#clearTimer(RETRY);
    let credentials: Credentials;
    try {
      credentials = await this.#creds.get();
    } catch (err) {
      if (run === this.#run) this.#fatal(new TranscribeError('NO_CREDENTIALS', `could not get AWS credentials: ${messageOf(err)}`, { cause: err }));
      return;
    }
    if (run !== this.#run || !h.live() || (this.#stopping && !this.#backlog.size)) return;
    const number = ++this.#streams;
    // A user-given session id is reused on a plain reconnect, never while another stream holds it
    // (AWS would end that stream with ConflictException); switches get a fresh one.
    const params = h.params();
    const given = params.sessionId;
    const live = this.#cur !== undefined || this.#draining.size > 0;
    const sessionId = given !== undefined && !live ? given : given !== undefined || reason ? sessionUuid(svc.runtime) : undefined;
    let url: string;
    try {
      url = h.url(credentials, sessionId);
    } catch (err) {
      return this.#fatal(err instanceof TranscribeError ? err : new TranscribeError('INVALID_OPTION', messageOf(err), { cause: err }));
    }
    svc.log.debug?.(`stream ${number}: connecting to ${redactUrl(url)}`);
    if (number > 1) svc.counters.reconnects++;
    const where = describeEndpoint(params.endpoint, svc.region);
    const idleMs = svc.options.idleTimeoutMs ?? 15_000;
    const stream = new TranscribeStream(number, sessionId, url, where, svc.runtime.socketFactory, this.#handlers, h.now, idleMs);
    if (reason) this.#next = stream;
    else this.#cur = stream;
  }

  #opened(s: TranscribeStream): void {
    if (s === this.#next) {
      // A switch waits this long for a pause before it moves the audio anyway.
      this.#timers[SWITCH_BY] = this.#set(() => this.#switchNow(), this.#nextReason === 'settings' ? 2000 : 10_000);
      if (this.#paused()) this.#switchNow();
      return;
    }
    if (s !== this.#cur) return s.close('stale');
    this.#attempt = 0;
    this.#becameCurrent(s);
    this.#started();
  }

  #closed(s: TranscribeStream, error: TranscribeError | undefined, info: SocketCloseInfo): void {
    if (this.#draining.delete(s)) {
      if (error) this.#h.error(error);
    } else if (s === this.#next) {
      this.#next = undefined;
      this.#clearTimer(SWITCH_BY);
      if (error && !this.#stopping) this.#retryOrFail(error, () => this.switch(this.#nextReason));
    } else if (s === this.#cur) {
      this.#cur = undefined;
      this.#clearTimer(ROTATE);
      const lived = s.openedAt > 0 ? this.#h.now() - s.openedAt : -1;
      if (lived >= QUICK_FAILURE_MS) this.#quickFailures = 0;
      else if (lived >= 0) this.#quickFailures++;
      // A close we did not ask for is a failure too, unless stopping with nothing left to send.
      const retry = !this.#stopping || this.#backlog.size > 0;
      const failure = error ?? (retry ? lostError('the service closed the stream', info) : undefined);
      const willReconnect = retry && failure !== undefined && this.#canRetry(failure);
      if (s.openedAt > 0) this.#h.em.emit('disconnected', { code: info.code, reason: info.reason, willReconnect });
      if (failure && retry) this.#retryOrFail(failure, () => this.#connect());
    }
    if (this.#stopping && this.#idle()) this.#stopWaiter?.();
  }

  #switchNow(): void {
    const next = this.#next;
    if (!next || next.state !== 'open') return;
    this.#clearTimer(SWITCH_BY);
    this.#clearTimer(ROTATE);
    this.#next = undefined;
    const old = this.#cur;
    this.#cur = next;
    if (old) {
      // Its pending results still arrive and are delivered; it gets no more audio.
      this.#draining.add(old);
      old.end();
    }
    this.#becameCurrent(next);
  }

  #becameCurrent(s: TranscribeStream): void {
    this.#releaseSwitchWaiters();
    s.offset = this.#sentBytes / this.#bps;
    this.#h.em.emit('connected', { streamNumber: s.number, sessionId: s.sessionId, requestId: undefined });
    const backlog = this.#backlog;
    const buf = this.#drainBuf;
    while (backlog.size > 0) {
      const n = backlog.peekInto(buf);
      if (!this.#send(s, buf.subarray(0, n))) break;
      backlog.discard(n);
    }
    this.#droppedWarned = false;
    if (this.#stopping) return s.end();
    const refreshIn = this.#creds.msUntilRefresh();
    const maxMs = this.#svc.options.maxStreamDurationMs ?? MAX_STREAM_MS - 60_000;
    this.#timers[ROTATE] = this.#set(
      () => {
        this.#timers[ROTATE] = undefined;
        void this.switch(refreshIn < maxMs ? 'credentials' : 'rotation');
      },
      Math.max(1000, Math.min(maxMs, refreshIn)),
    );
  }

  /** Keep the stream from AWS's 15-second idle timeout by sending silence when no audio comes. */
  #keepAliveLoop(): void {
    const o = this.#svc.options;
    const idleMs = o.keepAliveMs ?? 10_000;
    if (idleMs <= 0) return;
    this.#timers[KEEP_ALIVE] = this.#set(() => {
      this.#timers[KEEP_ALIVE] = undefined;
      if (this.#stopping || !this.#h.live()) return;
      const s = this.#cur;
      if (s?.state === 'open' && this.#h.now() - this.lastPush >= idleMs && this.#backlog.size === 0) {
        this.flush();
        const frames = Math.ceil(1000 / (o.frameMs ?? 100));
        for (let i = 0; i < frames; i++) this.#send(s, this.#silence);
        this.#svc.counters.keepAliveSeconds += (frames * this.#silence.length) / this.#bps;
      }
      this.#keepAliveLoop();
    }, 1000);
  }

  #canRetry(error: TranscribeError): boolean {
    const o = this.#svc.options;
    return error.retryable && (o.reconnectOnError ?? true) && this.#attempt < (o.maxReconnectAttempts ?? 3) && this.#quickFailures < QUICK_FAILURE_LIMIT;
  }

  #retryOrFail(error: TranscribeError, retry: () => Promise<void>): void {
    const em = this.#h.em;
    if (!this.#canRetry(error)) {
      const n = this.#quickFailures;
      const why =
        n >= QUICK_FAILURE_LIMIT
          ? new TranscribeError(error.code, `${error.message} (failed right after opening ${n} times in a row; giving up)`, {
              ...(error.exceptionType ? { exceptionType: error.exceptionType } : {}),
              cause: error,
            })
          : error;
      em.emit('connectionError', { error: why, attempt: this.#attempt, willRetry: false });
      return this.#fatal(why);
    }
    const attempt = ++this.#attempt;
    em.emit('connectionError', { error, attempt, willRetry: true });
    this.#h.error(error);
    // Exponential backoff from 250 ms up to 5 s, with jitter (half to all of it).
    const delay = Math.min(250 * 2 ** (attempt - 1), 5000) * (0.5 + 0.5 * (this.#svc.runtime.random ?? Math.random)());
    this.#timers[RETRY] = this.#set(() => {
      this.#timers[RETRY] = undefined;
      void retry();
    }, delay);
  }

  /** The service gave up: the host reports it and ends the iterators; every stream closes. */
  #fatal(error: TranscribeError): void {
    this.#h.fail(error);
    this.cancel();
  }

  #cleanup(): void {
    for (let k = RETRY; k <= SWITCH_BY; k++) this.#clearTimer(k);
    this.#releaseSwitchWaiters();
    this.#started();
  }

  #started(): void {
    this.#startWaiter?.();
    this.#startWaiter = undefined;
  }

  #releaseSwitchWaiters(): void {
    const waiters = this.#switchWaiters;
    this.#switchWaiters = [];
    for (const w of waiters) w();
  }

  #clearTimer(k: number): void {
    const h = this.#timers[k];
    if (h !== undefined) this.#clear(h);
    this.#timers[k] = undefined;
  }

  #idle(): boolean {
    return !this.#cur && !this.#next && !this.#draining.size && this.#timers[RETRY] === undefined;
  }
}

function setTimer(fn: () => void, ms: number): unknown {
  return globalThis.setTimeout(fn, ms);
}

function clearTimer(handle: unknown): void {
  globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
