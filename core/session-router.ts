/**
 * Routes the service's audio frames to Transcribe streams and keeps them alive: the first connect,
 * reconnects with backoff and a quick-failure guard, the backlog while no stream is open,
 * keep-alive silence, and make-before-break switches (settings changes, credential refresh,
 * 4-hour rotation) taken at a pause in speech. Results go to `ResultDelivery`.
 */

import { TranscribeError } from './errors.js';
import type { StreamingLanguageCode } from './language-codes.js';
import { PauseDetector } from './pause-detector.js';
import { ResultDelivery } from './result-delivery.js';
import type { ServiceHost } from './service-host.js';
import { redactUrl } from './sigv4.js';
import type { Credentials } from './sigv4.js';
import type { SocketCloseInfo } from './socket.js';
import { TranscribeStream } from './stream.js';
import type { StreamHandlers } from './stream.js';
import { transcribeUrl } from './transcribe-url.js';
import type { TranscriptEvent } from './transcript.js';
import { randomUuid } from './uuid.js';

type SwitchReason = 'settings' | 'rotation' | 'credentials';
type TimerKey = 'retry' | 'keepAlive' | 'rotate' | 'switchBy';

/** A stream that dies this soon after opening, this many times in a row, is fatal (Pipecat's guard). */
const QUICK_FAILURE_MS = 2000;
const QUICK_FAILURE_LIMIT = 3;
const SWITCH_WAIT_MS: Record<SwitchReason, number> = { settings: 2000, rotation: 10_000, credentials: 10_000 };

export class SessionRouter implements StreamHandlers {
  readonly #host: ServiceHost;
  readonly #scratch: Uint8Array;
  readonly #drainBuf: Uint8Array;
  readonly #silence: Uint8Array;
  readonly #set: (fn: () => void, ms: number) => unknown;
  readonly #clear: (handle: unknown) => void;
  #current: TranscribeStream | undefined;
  #next: TranscribeStream | undefined;
  #nextReason: SwitchReason = 'settings';
  readonly #draining = new Set<TranscribeStream>();
  #streams = 0;
  #sentBytes = 0;
  #attempt = 0;
  #quickFailures = 0;
  readonly #pause = new PauseDetector();
  #lastPushAt = 0;
  #stopping = false;
  #droppedWarned = false;
  readonly #timers: Partial<Record<TimerKey, unknown>> = {};
  #startWaiter: (() => void) | undefined;
  #switchWaiters: (() => void)[] = [];
  #stopWaiter: (() => void) | undefined;
  readonly #results: ResultDelivery;

  constructor(host: ServiceHost, scratch: Uint8Array) {
    this.#host = host;
    this.#results = new ResultDelivery(host);
    this.#scratch = scratch;
    const frameBytes = host.framer!.frameBytes;
    this.#drainBuf = new Uint8Array(frameBytes);
    this.#silence = new Uint8Array(frameBytes);
    const rt = host.runtime;
    this.#set = rt.setTimeout ?? ((fn, ms) => globalThis.setTimeout(fn, ms));
    this.#clear = rt.clearTimeout ?? ((h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>));
    this.#lastPushAt = host.now();
  }

  /** Open the first stream; resolves once it is open or the service gave up. */
  start(): Promise<void> {
    const started = new Promise<void>((resolve) => (this.#startWaiter = resolve));
    void this.#connect(undefined);
    this.#keepAliveLoop();
    return started;
  }

  audioPushed(): void {
    this.#lastPushAt = this.#host.now();
    this.#results.audioPushed(this.#lastPushAt);
  }

  userStoppedSpeaking(): void {
    this.#results.userStoppedSpeaking(this.#host.now());
  }

  /** One wire frame from the framer: send it, or keep it until a stream is open. */
  frame(frame: Uint8Array): void {
    this.#pause.track(frame);
    const s = this.#current;
    if (!(s && this.#host.backlog!.size === 0 && this.#send(s, frame))) this.#buffer(frame);
    if (this.#next?.state === 'open' && this.#pause.paused) this.#switchNow();
  }

  /**
   * Make-before-break: open a new stream now, move the audio over at the next pause (bounded
   * wait). Resolves once the new stream carries the audio, or the attempt ended.
   */
  switchStream(reason: SwitchReason): Promise<void> {
    const done = new Promise<void>((resolve) => this.#switchWaiters.push(resolve));
    const cur = this.#current;
    if (!cur || cur.state !== 'open') {
      // Nothing live to keep: reconnect at once (audio waits in the backlog meanwhile).
      if (cur?.state === 'connecting') cur.close(1000, 'settings changed');
      else if (this.#timers.retry === undefined) void this.#connect(undefined);
      return done;
    }
    this.#next?.close(1000, 'superseded');
    this.#nextReason = reason;
    void this.#connect(reason);
    return done;
  }

  /**
   * End every stream: send the empty AudioEvent and wait (bounded) for the last results. Audio
   * still in the backlog (a drop just before stop) is delivered first, on a new stream if needed.
   */
  stop(timeoutMs: number): Promise<void> {
    this.#stopping = true;
    this.#clearTimer('keepAlive');
    this.#clearTimer('rotate');
    this.#next?.close(1000, 'stopping');
    const cur = this.#current;
    if (cur?.state === 'open') cur.end();
    if (!this.#mustDeliver()) this.#clearTimer('retry');
    if (this.#idle()) return Promise.resolve(this.#cleanup());
    return new Promise<void>((resolve) => {
      const timer = this.#set(() => {
        this.#host.log.warn?.(`stop(): the service did not finish within ${timeoutMs} ms; closing`);
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

  cancel(): void {
    this.#stopping = true;
    for (const s of [this.#current, this.#next, ...this.#draining]) s?.close(1000, 'cancelled');
    this.#current = this.#next = undefined;
    this.#draining.clear();
    this.#cleanup();
    this.#startWaiter?.();
    this.#stopWaiter?.();
  }

  // ---- StreamHandlers ---------------------------------------------------------------------------------

  open(s: TranscribeStream): void {
    if (s === this.#next) {
      this.#timers.switchBy = this.#set(() => this.#switchNow(), SWITCH_WAIT_MS[this.#nextReason]);
      if (this.#pause.paused) this.#switchNow();
      return;
    }
    if (s !== this.#current) return s.close(1000, 'stale');
    this.#attempt = 0;
    this.#becameCurrent(s);
    this.#startWaiter?.();
    this.#startWaiter = undefined;
  }

  transcript(s: TranscribeStream, event: TranscriptEvent): void {
    this.#results.deliver(event, s.offsetSeconds);
  }

  closed(s: TranscribeStream, error: TranscribeError | undefined, info: SocketCloseInfo): void {
    const host = this.#host;
    if (this.#draining.delete(s)) {
      if (error) this.#nonFatal(error);
    } else if (s === this.#next) {
      this.#next = undefined;
      this.#clearTimer('switchBy');
      if (error && !this.#stopping) this.#retryOrFail(error, () => this.switchStream(this.#nextReason));
    } else if (s === this.#current) {
      this.#current = undefined;
      this.#clearTimer('rotate');
      const lived = s.openedAt > 0 ? host.now() - s.openedAt : -1;
      if (lived >= QUICK_FAILURE_MS) this.#quickFailures = 0;
      else if (lived >= 0) this.#quickFailures++;
      // A close we did not ask for is a failure too, unless stopping with nothing left to send.
      const retry = !this.#stopping || this.#mustDeliver();
      const failure = error ?? (retry ? lost(info) : undefined);
      const willReconnect = retry && failure !== undefined && this.#canRetry(failure);
      if (s.openedAt > 0) host.emitter.emit('disconnected', { code: info.code, reason: info.reason, willReconnect });
      if (failure && retry) this.#retryOrFail(failure, () => this.#connect(undefined));
    }
    if (this.#stopping && this.#idle()) this.#stopWaiter?.();
  }

  // ---- internals --------------------------------------------------------------------------------------

  async #connect(reason: SwitchReason | undefined): Promise<void> {
    const host = this.#host;
    this.#clearTimer('retry');
    let credentials;
    try {
      credentials = await host.credentials!.get();
    } catch (err) {
      return this.#fatal(new TranscribeError('NO_CREDENTIALS', `could not get AWS credentials: ${messageOf(err)}`, { cause: err }));
    }
    if (!host.isRunning() || (this.#stopping && !this.#mustDeliver())) return;
    const number = ++this.#streams;
    const live = this.#current !== undefined || this.#draining.size > 0;
    // A user-given session id is reused on a plain reconnect, never while another stream holds it
    // (AWS would end that stream with ConflictException); switches get a fresh one.
    const given = host.params.sessionId;
    const sessionId = given !== undefined && !live ? given : given !== undefined || reason ? this.#uuid() : undefined;
    let url: string;
    try {
      url = streamUrl(host, credentials, sessionId);
    } catch (err) {
      return this.#fatal(err instanceof TranscribeError ? err : new TranscribeError('INVALID_OPTION', messageOf(err), { cause: err }));
    }
    host.log.debug?.(`stream ${number}: connecting to ${redactUrl(url)}`);
    if (number > 1) host.counters.reconnects++;
    const stream = new TranscribeStream({
      number,
      offsetSeconds: 0,
      sessionId,
      url,
      describe: describeEndpoint(host),
      factory: host.runtime.socketFactory,
      handlers: this,
      now: host.now,
      idleLimitMs: host.options.idleTimeoutMs ?? 15_000,
    });
    if (reason) this.#next = stream;
    else this.#current = stream;
  }

  #becameCurrent(s: TranscribeStream): void {
    const host = this.#host;
    this.#releaseSwitchWaiters();
    s.offsetSeconds = this.#sentBytes / host.bytesPerSecond;
    host.emitter.emit('connected', { streamNumber: s.number, sessionId: s.sessionId, requestId: undefined });
    const backlog = host.backlog!;
    while (backlog.size > 0) {
      const n = backlog.peekInto(this.#drainBuf);
      if (!this.#send(s, this.#drainBuf.subarray(0, n))) break;
      backlog.discard(n);
    }
    this.#droppedWarned = false;
    if (this.#stopping) return s.end();
    const refreshIn = host.credentials!.msUntilRefresh();
    const rotateIn = Math.min(host.maxStreamMs(), refreshIn);
    if (Number.isFinite(rotateIn)) {
      this.#timers.rotate = this.#set(() => {
        this.#timers.rotate = undefined;
        void this.switchStream(refreshIn < host.maxStreamMs() ? 'credentials' : 'rotation');
      }, Math.max(1000, rotateIn));
    }
  }

  #switchNow(): void {
    const next = this.#next;
    if (!next || next.state !== 'open') return;
    this.#clearTimer('switchBy');
    this.#clearTimer('rotate');
    this.#next = undefined;
    const old = this.#current;
    this.#current = next;
    if (old) {
      // Its pending results still arrive and are delivered; it gets no more audio.
      this.#draining.add(old);
      old.end();
    }
    this.#becameCurrent(next);
  }

  /** Send on `s`; false (nothing counted) when it no longer takes audio. */
  #send(s: TranscribeStream, pcm: Uint8Array): boolean {
    const host = this.#host;
    if (!s.sendAudio(pcm, this.#scratch)) return false;
    this.#sentBytes += pcm.length;
    const seconds = this.#sentBytes / host.bytesPerSecond;
    host.counters.sentSeconds = seconds;
    host.audioClock.mark(seconds, host.now());
    return true;
  }

  #buffer(frame: Uint8Array): void {
    const host = this.#host;
    const bytesPerSecond = host.bytesPerSecond;
    const dropped = host.backlog!.push(frame);
    host.counters.bufferedSeconds += frame.length / bytesPerSecond;
    if (dropped > 0) {
      host.counters.droppedSeconds += dropped / bytesPerSecond;
      if (!this.#droppedWarned) {
        this.#droppedWarned = true;
        host.log.warn?.(`no stream open for longer than the ${host.options.bufferSeconds ?? 15} s buffer: dropping the oldest audio`);
      }
    }
  }



  /** Keep the stream from AWS's 15-second idle timeout by sending silence when no audio comes. */
  #keepAliveLoop(): void {
    const host = this.#host;
    const idleMs = host.options.keepAliveMs ?? 10_000;
    if (idleMs <= 0) return;
    this.#timers.keepAlive = this.#set(() => {
      this.#timers.keepAlive = undefined;
      if (this.#stopping || !host.isRunning()) return;
      const s = this.#current;
      if (s?.state === 'open' && host.now() - this.#lastPushAt >= idleMs && host.backlog!.size === 0) {
        host.framer!.flush((f) => this.frame(f));
        const frames = Math.ceil(1000 / (host.options.frameMs ?? 100));
        for (let i = 0; i < frames; i++) this.#send(s, this.#silence);
        host.counters.keepAliveSeconds += (frames * this.#silence.length) / host.bytesPerSecond;
      }
      this.#keepAliveLoop();
    }, 1000);
  }

  #canRetry(error: TranscribeError): boolean {
    const o = this.#host.options;
    return (
      error.retryable &&
      (o.reconnectOnError ?? true) &&
      this.#attempt < (o.maxReconnectAttempts ?? 3) &&
      this.#quickFailures < QUICK_FAILURE_LIMIT
    );
  }

  #retryOrFail(error: TranscribeError, retry: () => Promise<void>): void {
    const host = this.#host;
    if (!this.#canRetry(error)) {
      const why =
        this.#quickFailures >= QUICK_FAILURE_LIMIT
          ? new TranscribeError(error.code, `${error.message} (the stream failed right after opening ${this.#quickFailures} times in a row; giving up)`, {
              retryable: false,
              ...(error.exceptionType ? { exceptionType: error.exceptionType } : {}),
              cause: error,
            })
          : error;
      host.emitter.emit('connectionError', { error: why, attempt: this.#attempt, willRetry: false });
      return this.#fatal(why);
    }
    this.#attempt++;
    host.emitter.emit('connectionError', { error, attempt: this.#attempt, willRetry: true });
    this.#nonFatal(error);
    const base = Math.min(250 * 2 ** (this.#attempt - 1), 5000);
    const delay = base * (0.5 + 0.5 * (host.runtime.random ?? Math.random)());
    this.#timers.retry = this.#set(() => {
      this.#timers.retry = undefined;
      void retry();
    }, delay);
  }

  #nonFatal(error: TranscribeError): void {
    this.#host.emitFrame({ type: 'error', error, fatal: false, timestamp: new Date(this.#host.now()).toISOString() });
  }

  #fatal(error: TranscribeError): void {
    this.#host.fail(error);
    this.cancel();
  }

  #idle(): boolean {
    return this.#current === undefined && this.#next === undefined && this.#draining.size === 0 && this.#timers.retry === undefined;
  }

  /** While stopping: is there buffered audio that still needs a stream? */
  #mustDeliver(): boolean {
    return this.#host.backlog!.size > 0;
  }

  #releaseSwitchWaiters(): void {
    const waiters = this.#switchWaiters;
    this.#switchWaiters = [];
    for (const w of waiters) w();
  }

  #cleanup(): void {
    for (const k of ['retry', 'keepAlive', 'rotate', 'switchBy'] as const) this.#clearTimer(k);
    this.#releaseSwitchWaiters();
    this.#startWaiter?.();
    this.#startWaiter = undefined;
  }

  #clearTimer(k: TimerKey): void {
    const h = this.#timers[k];
    if (h !== undefined) this.#clear(h);
    this.#timers[k] = undefined;
  }

  #uuid(): string {
    const rt = this.#host.runtime;
    return rt.randomUUID ? rt.randomUUID() : randomUuid(rt.random ?? Math.random);
  }

}

/** The presigned URL of a new stream with the service's current settings (throws `OptionError`). */
export function streamUrl(
  host: Pick<ServiceHost, 'params' | 'languageCode' | 'region' | 'wireRate' | 'now'>,
  credentials: Credentials,
  sessionId: string | undefined,
): string {
  return transcribeUrl({
    // Pipecat's defaults, which the user's parameters may override.
    enablePartialResultsStabilization: true,
    partialResultsStability: 'high',
    ...host.params,
    ...(sessionId !== undefined ? { sessionId } : {}),
    ...(host.languageCode !== undefined ? { languageCode: host.languageCode as StreamingLanguageCode } : {}),
    region: host.region,
    credentials,
    sampleRate: host.wireRate,
    mediaEncoding: 'pcm',
    date: new Date(host.now()),
  });
}

function lost(info: SocketCloseInfo): TranscribeError {
  return new TranscribeError('CONNECTION_LOST', `the service closed the stream (code ${info.code}${info.reason ? `: ${info.reason}` : ''})`, {
    retryable: true,
  });
}

function describeEndpoint(host: ServiceHost): string {
  const e = host.params.endpoint;
  if (e) {
    try {
      return new URL(e).host;
    } catch {
      return 'the custom endpoint';
    }
  }
  return `Amazon Transcribe (${host.region})`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
