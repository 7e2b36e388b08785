/**
 * The streams of an AWSTranscribeSTTService: the first connect, reconnects with backoff, and
 * make-before-break switches (settings changes, credential refresh, 4-hour rotation) taken at a
 * pause in speech. The audio itself goes through the AudioOutlet, to whichever stream is current.
 *
 * Every wait has a bound: credentials or a URL (credentialsTimeoutMs), the handshake (connectTimeoutMs), a
 * socket that stops taking data (the outlet's STALL_MS), and stop() (stopTimeoutMs plus the time
 * the queued audio takes at the catch-up pace).
 */

import { TranscribeError } from '../../errors.js';
import { clearGlobalTimer, setGlobalTimer, Timer } from '../timer.js';
import { ReconnectBackoff } from './backoff.js';
import type { ConnectReason, ConnectTarget, StreamTarget } from './connect-target.js';
import { StreamConnector } from './connector.js';
import { lostError } from './handshake-error.js';
import { AudioOutlet, CATCH_UP } from './outlet.js';
import {
  cancelledStartError,
  cancelledStopError,
  internalError,
  noUrlError,
  stalledError,
  stopTimeoutError,
  switchFailedError,
} from './router-errors.js';
import type { RouterContext, StopResult } from './router-context.js';
import type { SocketCloseInfo } from './socket.js';
import type { StreamHandlers, TranscribeStream } from './stream.js';
import { sessionIdFor } from './target.js';

type SwitchReason = 'settings' | 'rotation' | 'credentials';

/** After a rotation or credential refresh could not open its new stream, the wait before the next try. */
const SWITCH_RETRY_MS = 30_000;

export class SessionRouter {
  readonly #ctx: RouterContext;
  readonly #backoff = new ReconnectBackoff();
  /** Attempts of a switch's new stream while the current one is fine: they never end the call. */
  readonly #switchBackoff = new ReconnectBackoff();
  readonly #retry: Timer;
  readonly #keepAlive: Timer;
  readonly #rotate: Timer;
  readonly #switchBy: Timer;
  readonly #stopWait: Timer;
  readonly #connector: StreamConnector;
  readonly #outlet: AudioOutlet;
  #cur: TranscribeStream | undefined;
  #next: TranscribeStream | undefined;
  #nextReason: SwitchReason = 'settings';
  readonly #draining = new Set<TranscribeStream>();
  #stopping = false;
  #stopError: TranscribeError | undefined;
  #startWaiter: ((error: TranscribeError | undefined) => void) | undefined;
  readonly #switchWaiters: ((error: TranscribeError | undefined) => void)[] = [];
  #stopWaiter: (() => void) | undefined;

  readonly #handlers: StreamHandlers = {
    open: (s) => this.#opened(s),
    transcript: (s, event) => this.#outlet.heard(this.#ctx.deliver(event, s.offset), s === this.#cur),
    problem: (_s, error) => this.#ctx.error(error, false),
    closed: (s, error, info) => this.#closed(s, error, info),
  };

  constructor(ctx: RouterContext) {
    this.#ctx = ctx;
    const set = ctx.runtime.setTimeout ?? setGlobalTimer;
    const clear = ctx.runtime.clearTimeout ?? clearGlobalTimer;
    const timer = (): Timer => new Timer(set, clear, (err) => this.#internal(err));
    this.#retry = timer();
    this.#keepAlive = timer();
    this.#rotate = timer();
    this.#switchBy = timer();
    this.#stopWait = timer();
    this.#connector = new StreamConnector(ctx, this.#handlers, { set, clear, waits: { cur: timer(), next: timer() } });
    this.#outlet = new AudioOutlet({
      options: ctx.options,
      counters: ctx.counters,
      clock: ctx.clock,
      log: ctx.log,
      now: () => ctx.now(),
      drainTimer: timer(),
      keepAliveTimer: this.#keepAlive,
      // At a pause a switch's new stream takes the audio; stopping, the end of stream follows the backlog.
      afterFrame: () => this.#next?.state === 'open' && this.#outlet.paused && this.#switchNow(),
      drained: (s) => this.#stopping && s.end(),
      stalled: (s) => s.fail(stalledError(this.#connector.where), 'stalled'),
    });
  }

  /** A fresh run: nothing of the last one carries over. */
  reset(target: ConnectTarget, bps: number, frameBytes: number, channels: 1 | 2): void {
    this.#connector.reset(target);
    this.#outlet.reset(bps, frameBytes, channels);
    this.#backoff.reset();
    this.#switchBackoff.reset();
    this.#stopping = false;
    this.#stopError = undefined;
  }

  /** Connect and keep alive; resolves once the first stream is open, or with the error the service gave up on. */
  start(): Promise<TranscribeError | undefined> {
    const started = new Promise<TranscribeError | undefined>((resolve) => (this.#startWaiter = resolve));
    this.#spawnConnect(undefined, 'connect');
    this.#outlet.keepAlive(() => this.#stopping || !this.#ctx.live());
    return started;
  }

  /** Wire bytes in, pushed at `now`: framed, then sent or kept in the backlog. */
  push(bytes: Uint8Array, now: number): void {
    this.#outlet.push(bytes, now);
  }

  /** Send what the framer holds as a last short frame. */
  flush(): void {
    this.#outlet.flush();
  }

  /**
   * Make-before-break: open a new stream now, move the audio over at the next pause (bounded
   * wait). Resolves once the new stream carries the audio or the run ended, or with the error when
   * the new stream could not be opened (the current one goes on).
   */
  switch(reason: SwitchReason): Promise<TranscribeError | undefined> {
    const done = new Promise<TranscribeError | undefined>((resolve) => this.#switchWaiters.push(resolve));
    const cur = this.#cur;
    if (cur?.state === 'open') {
      this.#abandon(this.#next, 'superseded');
      this.#nextReason = reason;
      this.#spawnConnect(reason);
    } else if (cur) {
      // Still connecting with the old parameters: abandoned, which is not a failure; audio waits in the backlog.
      this.#abandon(cur, 'settings changed');
      this.#spawnConnect(undefined, reason);
    } else if (!this.#retry.pending) {
      this.#spawnConnect(undefined, reason);
    }
    return done;
  }

  /**
   * End every stream: send what the backlog holds, then the empty AudioEvent, and wait (bounded)
   * for the last results.
   */
  end(): Promise<StopResult> {
    this.#stopping = true;
    this.#keepAlive.stop();
    this.#rotate.stop();
    this.#abandon(this.#next, 'stopping');
    const queued = this.#outlet.toSendSeconds;
    const cur = this.#cur;
    if (cur?.state === 'open' && queued === 0) cur.end();
    // Nothing to send and no stream open yet: nothing to wait for.
    if (cur?.state === 'connecting' && queued === 0) this.#abandon(cur, 'stopping');
    if (queued === 0) this.#retry.stop();
    if (this.#idle()) return Promise.resolve(this.#stopped());
    const ms = this.#ctx.options.stopTimeoutMs + Math.ceil((queued / CATCH_UP) * 1000);
    return new Promise<StopResult>((resolve) => {
      this.#stopWait.start(() => {
        this.#stopFailed(stopTimeoutError(ms));
        this.cancel();
      }, ms);
      this.#stopWaiter = () => {
        this.#stopWaiter = undefined;
        resolve(this.#stopped());
      };
    });
  }

  /** Close every stream now, dropping unsent audio and pending results. */
  cancel(): void {
    // A stop() still waiting for the last results does not get them.
    if (this.#stopWaiter) this.#stopError ??= cancelledStopError();
    this.#stopping = true;
    // Let go of every stream first: a close event inside close() then finds no stream to retry or report.
    const streams = [this.#cur, this.#next, ...this.#draining];
    this.#cur = this.#next = undefined;
    this.#draining.clear();
    for (const s of streams) s?.close('cancelled');
    this.#cleanup();
    this.#stopWaiter?.();
  }

  // ---- streams ----------------------------------------------------------------------------------------

  /**
   * Start a connect: a switch (`reason`) opens the next stream, else the current slot's (re)connect,
   * `why` saying what made it. A throw inside it (a bug) is reported, never an unhandled rejection.
   */
  #spawnConnect(reason?: SwitchReason, why?: ConnectReason): void {
    this.#connect(reason, why).catch((err: unknown) => this.#internal(err));
  }

  async #connect(reason: SwitchReason | undefined, why: ConnectReason | undefined): Promise<void> {
    const ctx = this.#ctx;
    const slot = reason ? 'next' : 'cur';
    const current = this.#connector.begin(slot);
    this.#retry.stop();
    // Known before the URL is: a URL provider signs it in.
    const busy = this.#cur !== undefined || this.#draining.size > 0;
    const sessionId = sessionIdFor(ctx.params().sessionId, busy, reason !== undefined, ctx.runtime);
    let target: StreamTarget;
    try {
      target = await this.#connector.resolve(slot, { reason: reason ?? why ?? 'reconnect', sessionId });
    } catch (err) {
      if (!current()) return;
      if (err instanceof TranscribeError && err.retryable)
        return this.#retryOrFail(err, () => this.#spawnConnect(reason));
      return this.#fatal(err instanceof TranscribeError ? err : noUrlError(err, ctx));
    }
    if (!current() || !ctx.live() || (this.#stopping && (reason || this.#outlet.toSendSeconds === 0))) return;
    // The slot was filled meanwhile (a switch's stream took over): this connect is no longer wanted.
    if (!reason && this.#cur) return;
    const stream = this.#connector.open(target, sessionId);
    if (reason) this.#next = stream;
    else this.#cur = stream;
  }

  #opened(s: TranscribeStream): void {
    if (s === this.#next) {
      // At a pause, or with no current stream (it dropped meanwhile), it takes over at once; else a
      // switch waits this long for a pause before it moves the audio anyway.
      if (!this.#cur || this.#outlet.paused) return this.#switchNow();
      this.#switchBy.start(() => this.#switchNow(), this.#nextReason === 'settings' ? 2000 : 10_000);
      return;
    }
    if (s !== this.#cur) return s.close('stale');
    this.#backoff.opened();
    this.#becameCurrent(s);
    this.#started(undefined);
  }

  #closed(s: TranscribeStream, error: TranscribeError | undefined, info: SocketCloseInfo): void {
    if (this.#draining.delete(s)) {
      // Its last results are lost with it: while stopping, stop() did not complete.
      if (error && this.#stopping) this.#stopFailed(error);
      else if (error) this.#ctx.error(error, false);
    } else if (s === this.#next) {
      this.#next = undefined;
      this.#switchBy.stop();
      if (error && !this.#stopping) this.#nextFailed(error);
    } else if (s === this.#cur) {
      this.#curClosed(s, error, info);
    }
    // Anything else was abandoned (superseded or stale): its end is no failure.
    if (this.#stopping && this.#idle()) this.#stopWaiter?.();
  }

  #curClosed(s: TranscribeStream, error: TranscribeError | undefined, info: SocketCloseInfo): void {
    this.#cur = undefined;
    this.#rotate.stop();
    this.#outlet.detach(s);
    if (s.openedAt > 0) this.#backoff.closed(this.#ctx.now() - s.openedAt);
    // A close we did not ask for is a failure too, unless stopping with nothing left to send.
    const retry = !this.#stopping || this.#outlet.queuedSeconds > 0;
    const failed = error && s.unexplainedIdle ? this.#backoff.unexplainedIdle(error) : error;
    const failure = failed ?? (retry ? lostError('the service closed the stream', info) : undefined);
    // What it carried and no final covered yet is heard again by the stream that takes over.
    if (failure && retry && s.openedAt > 0) this.#outlet.dropped(s.offset);
    // A switch's new stream is there to take over: no reconnect of its own.
    const takeover = failure !== undefined && retry && this.#next !== undefined;
    const willReconnect = takeover || (retry && failure?.retryable === true && this.#ctx.options.reconnectOnError);
    if (s.openedAt > 0) this.#ctx.emitter.emit('disconnected', { code: info.code, reason: info.reason, willReconnect });
    if (takeover) {
      this.#ctx.error(failure, false);
      if (this.#next?.state === 'open') this.#switchNow();
    } else if (failure && retry) this.#retryOrFail(failure, () => this.#spawnConnect());
    else if (failure) this.#stopFailed(failure);
  }

  /** A switch's new stream failed: tried again; given up on, the current stream goes on (never fatal while it does). */
  #nextFailed(error: TranscribeError): void {
    const reason = this.#nextReason;
    if (this.#cur?.state !== 'open') return this.#retryOrFail(error, () => void this.switch(reason));
    const { emitter, options, runtime } = this.#ctx;
    const decision = this.#switchBackoff.next(error, options, runtime.random ?? Math.random);
    if ('giveUp' in decision) {
      const why = switchFailedError(decision.giveUp, reason);
      emitter.emit('connectionError', { error: why, attempt: decision.attempt, willRetry: false });
      this.#ctx.error(why, false);
      this.#releaseSwitchWaiters(why);
      this.#switchBackoff.reset();
      if (reason !== 'settings') this.#rotate.start(() => void this.switch(reason), SWITCH_RETRY_MS);
      return;
    }
    emitter.emit('connectionError', { error, attempt: decision.attempt, willRetry: true });
    this.#ctx.error(error, false);
    this.#retry.start(() => void this.switch(reason), decision.retryInMs);
  }

  #switchNow(): void {
    const next = this.#next;
    if (next?.state !== 'open') return;
    this.#switchBy.stop();
    this.#rotate.stop();
    // A reconnect or a retry under way is no longer wanted: this stream is the current one now.
    this.#retry.stop();
    this.#connector.cancelPending('cur');
    this.#switchBackoff.opened();
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
    this.#releaseSwitchWaiters(undefined);
    const replayedSeconds = this.#outlet.rewindIfDropped();
    s.offset = this.#outlet.sentSeconds;
    const { number: streamNumber, sessionId } = s;
    this.#ctx.emitter.emit('connected', { streamNumber, sessionId, requestId: undefined, replayedSeconds });
    this.#outlet.startOn(s);
    if (this.#stopping) return;
    const refreshIn = this.#connector.msUntilRefresh();
    const maxMs = this.#ctx.options.maxStreamDurationMs;
    const reason = refreshIn < maxMs ? 'credentials' : 'rotation';
    this.#rotate.start(() => void this.switch(reason), Math.max(1000, Math.min(maxMs, refreshIn)));
  }

  #retryOrFail(error: TranscribeError, retry: () => void): void {
    const { emitter, options, runtime } = this.#ctx;
    const decision = this.#backoff.next(error, options, runtime.random ?? Math.random);
    if ('giveUp' in decision) {
      emitter.emit('connectionError', { error: decision.giveUp, attempt: decision.attempt, willRetry: false });
      return this.#fatal(decision.giveUp);
    }
    emitter.emit('connectionError', { error, attempt: decision.attempt, willRetry: true });
    this.#ctx.error(error, false);
    this.#retry.start(retry, decision.retryInMs);
  }

  /** The service gave up: the service reports it and ends the iterators; every stream closes. */
  #fatal(error: TranscribeError): void {
    this.#started(error);
    if (this.#stopWaiter) this.#stopError ??= error;
    this.#ctx.fail(error);
    this.cancel();
  }

  /** stop() cannot complete as asked: the last results of a stream are lost. */
  #stopFailed(error: TranscribeError): void {
    if (this.#stopError) return;
    this.#stopError = error;
    this.#ctx.error(error, true);
  }

  #stopped(): StopResult {
    this.#cleanup();
    const error = this.#stopError;
    return { complete: error === undefined, error };
  }

  #cleanup(): void {
    for (const t of [this.#retry, this.#keepAlive, this.#rotate, this.#switchBy, this.#stopWait]) t.stop();
    this.#connector.stop();
    const target = this.#outlet.target;
    if (target) this.#outlet.detach(target);
    this.#releaseSwitchWaiters(undefined);
    // The run ended before a stream opened (stop(), cancel()): start() says so.
    this.#started(cancelledStartError());
  }

  #started(error: TranscribeError | undefined): void {
    this.#startWaiter?.(error);
    this.#startWaiter = undefined;
  }

  #releaseSwitchWaiters(error: TranscribeError | undefined): void {
    for (const w of this.#switchWaiters.splice(0)) w(error);
  }

  #abandon(s: TranscribeStream | undefined, reason: string): void {
    if (!s) return;
    if (s === this.#cur) this.#cur = undefined;
    if (s === this.#next) this.#next = undefined;
    s.close(reason);
  }

  /**
   * A bug of ours surfaced in a timer or a connect: reported (an error frame nobody listens to is
   * logged), and the streams go on.
   */
  #internal(err: unknown): void {
    this.#ctx.error(internalError(err, this.#ctx), false);
  }

  #idle(): boolean {
    return !this.#cur && !this.#next && !this.#draining.size && !this.#retry.pending;
  }
}
