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
import { redactUrl } from '../../sigv4/redact.js';
import { clearGlobalTimer, setGlobalTimer, Timer } from '../timer.js';
import type { ClearTimer, SetTimer } from '../timer.js';
import { ReconnectBackoff } from './backoff.js';
import type { ConnectReason, ConnectTarget, StreamTarget } from './connect-target.js';
import { lostError } from './handshake-error.js';
import { AudioOutlet, CATCH_UP, STALL_MS } from './outlet.js';
import type { RouterContext, StopResult } from './router-context.js';
import type { SocketCloseInfo } from './socket.js';
import { TranscribeStream } from './stream.js';
import type { StreamHandlers } from './stream.js';
import { sessionUuid } from './target.js';

type SwitchReason = 'settings' | 'rotation' | 'credentials';

export class SessionRouter {
  readonly #ctx: RouterContext;
  readonly #backoff = new ReconnectBackoff();
  readonly #set: SetTimer;
  readonly #clear: ClearTimer;
  readonly #retry: Timer;
  readonly #keepAlive: Timer;
  readonly #rotate: Timer;
  readonly #switchBy: Timer;
  /**
   * Bound the wait for credentials or a URL (credentialsTimeoutMs): one per slot, since the current
   * stream's reconnect and a switch's new stream may wait at once.
   */
  readonly #curWait: Timer;
  readonly #nextWait: Timer;
  readonly #stopWait: Timer;
  /** Bumped by start(): work of an earlier run (a pending connect) sees it and stops. */
  #run = 0;
  /** Bumped by each connect of a slot: an older connect still waiting for credentials stops. */
  #curSeq = 0;
  #nextSeq = 0;
  readonly #outlet: AudioOutlet;
  /** Set by reset(), before anything uses it. */
  #target!: ConnectTarget;
  /** The host of the last stream, for messages. */
  #where = '';
  #cur: TranscribeStream | undefined;
  #next: TranscribeStream | undefined;
  #nextReason: SwitchReason = 'settings';
  readonly #draining = new Set<TranscribeStream>();
  #streams = 0;
  #stopping = false;
  #stopError: TranscribeError | undefined;
  #startWaiter: ((error: TranscribeError | undefined) => void) | undefined;
  #switchWaiters: (() => void)[] = [];
  #stopWaiter: (() => void) | undefined;

  readonly #handlers: StreamHandlers = {
    open: (s) => this.#opened(s),
    transcript: (s, event) => this.#ctx.deliver(event, s.offset),
    problem: (_s, error) => this.#ctx.error(error, false),
    closed: (s, error, info) => this.#closed(s, error, info),
  };

  constructor(ctx: RouterContext) {
    this.#ctx = ctx;
    const set = (this.#set = ctx.runtime.setTimeout ?? setGlobalTimer);
    const clear = (this.#clear = ctx.runtime.clearTimeout ?? clearGlobalTimer);
    const timer = (): Timer => new Timer(set, clear, (err) => this.#internal(err));
    this.#retry = timer();
    this.#keepAlive = timer();
    this.#rotate = timer();
    this.#switchBy = timer();
    this.#curWait = timer();
    this.#nextWait = timer();
    this.#stopWait = timer();
    this.#outlet = new AudioOutlet({
      options: ctx.options,
      counters: ctx.counters,
      clock: ctx.clock,
      log: ctx.log,
      now: () => ctx.now(),
      drainTimer: timer(),
      keepAliveTimer: this.#keepAlive,
      afterFrame: () => {
        if (this.#next?.state === 'open' && this.#outlet.paused) this.#switchNow();
      },
      drained: (s) => {
        if (this.#stopping) s.end();
      },
      stalled: (s) => s.fail(lostError(`${this.#where} stopped taking audio for ${STALL_MS / 1000} s`, { code: 1000, reason: '', opened: true }), 'stalled'),
    });
  }

  /** A fresh run: nothing of the last one carries over. */
  reset(target: ConnectTarget, bps: number, frameBytes: number): void {
    this.#run++;
    this.#target = target;
    this.#outlet.reset(bps, frameBytes);
    this.#backoff.reset();
    this.#streams = 0;
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
   * wait). Resolves once the new stream carries the audio, or the attempt ended.
   */
  switch(reason: SwitchReason): Promise<void> {
    const done = new Promise<void>((resolve) => this.#switchWaiters.push(resolve));
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
    const queued = this.#outlet.queuedSeconds;
    const cur = this.#cur;
    if (cur?.state === 'open' && queued === 0) cur.end();
    if (queued === 0) this.#retry.stop();
    if (this.#idle()) return Promise.resolve(this.#stopped());
    const ms = this.#ctx.options.stopTimeoutMs + Math.ceil((queued / CATCH_UP) * 1000);
    return new Promise<StopResult>((resolve) => {
      this.#stopWait.start(() => {
        this.#stopFailed(new TranscribeError('TIMEOUT', `stop(): the last results did not arrive within ${ms} ms (stopTimeoutMs plus the queued audio); closed without them`));
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
    if (this.#stopWaiter) this.#stopError ??= new TranscribeError('CANCELLED', 'cancel() during stop(): the last results were dropped');
    this.#stopping = true;
    // Let go of every stream before closing it: a close event delivered inside close() then finds
    // no current stream, so it cannot be taken for a failure to retry or report.
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
    const run = this.#run;
    const ctx = this.#ctx;
    const seq = reason ? ++this.#nextSeq : ++this.#curSeq;
    const current = (): boolean => run === this.#run && seq === (reason ? this.#nextSeq : this.#curSeq);
    this.#retry.stop();
    // Known before the URL is: a URL provider signs it in.
    const sessionId = this.#sessionIdFor(reason);
    let target: StreamTarget;
    try {
      const request = { reason: reason ?? why ?? 'reconnect', sessionId } as const;
      target = await this.#target.resolve(request, ctx.options.credentialsTimeoutMs, reason ? this.#nextWait : this.#curWait);
    } catch (err) {
      if (!current()) return;
      if (err instanceof TranscribeError && err.retryable) return this.#retryOrFail(err, () => this.#spawnConnect(reason));
      return this.#fatal(err instanceof TranscribeError ? err : new TranscribeError('INTERNAL', `no URL to connect to: ${ctx.clean(String(err))}`, { cause: err }));
    }
    if (!current() || !ctx.live() || (this.#stopping && (reason || this.#outlet.queuedSeconds === 0))) return;
    const number = ++this.#streams;
    const { url, where } = target;
    this.#where = where;
    ctx.log.debug?.(`stream ${number}: connecting to ${redactUrl(url)}`);
    if (number > 1) ctx.counters.reconnects++;
    const o = ctx.options;
    const stream = new TranscribeStream({
      number,
      sessionId,
      url,
      where,
      factory: ctx.runtime.socketFactory,
      handlers: this.#handlers,
      now: () => ctx.now(),
      setTimer: this.#set,
      clearTimer: this.#clear,
      idleMs: o.idleTimeoutMs,
      connectTimeoutMs: o.connectTimeoutMs,
      clean: (text) => ctx.clean(text),
    });
    if (reason) this.#next = stream;
    else this.#cur = stream;
  }

  /**
   * A user-given session id is reused on a plain reconnect, never while another stream holds it (AWS
   * would end that stream with ConflictException); switches get a fresh one.
   */
  #sessionIdFor(reason: SwitchReason | undefined): string | undefined {
    const given = this.#ctx.params().sessionId;
    const busy = this.#cur !== undefined || this.#draining.size > 0;
    if (given !== undefined && !busy && !reason) return given;
    if (given === undefined && !reason) return undefined;
    return sessionUuid(this.#ctx.runtime);
  }

  #opened(s: TranscribeStream): void {
    if (s === this.#next) {
      // A switch waits this long for a pause before it moves the audio anyway.
      this.#switchBy.start(() => this.#switchNow(), this.#nextReason === 'settings' ? 2000 : 10_000);
      if (this.#outlet.paused) this.#switchNow();
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
      if (error && !this.#stopping) this.#retryOrFail(error, () => this.switch(this.#nextReason));
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
    const willReconnect = retry && failure !== undefined && failure.retryable && this.#ctx.options.reconnectOnError;
    if (s.openedAt > 0) this.#ctx.emitter.emit('disconnected', { code: info.code, reason: info.reason, willReconnect });
    if (failure && retry) this.#retryOrFail(failure, () => this.#spawnConnect());
    else if (failure) this.#stopFailed(failure);
  }

  #switchNow(): void {
    const next = this.#next;
    if (!next || next.state !== 'open') return;
    this.#switchBy.stop();
    this.#rotate.stop();
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
    s.offset = this.#outlet.sentSeconds;
    this.#ctx.emitter.emit('connected', { streamNumber: s.number, sessionId: s.sessionId, requestId: undefined });
    this.#outlet.startOn(s);
    if (this.#stopping) return;
    const refreshIn = this.#target.msUntilRefresh();
    const maxMs = this.#ctx.options.maxStreamDurationMs;
    this.#rotate.start(() => void this.switch(refreshIn < maxMs ? 'credentials' : 'rotation'), Math.max(1000, Math.min(maxMs, refreshIn)));
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
    for (const t of [this.#retry, this.#keepAlive, this.#rotate, this.#switchBy, this.#curWait, this.#nextWait, this.#stopWait]) t.stop();
    const target = this.#outlet.target;
    if (target) this.#outlet.detach(target);
    this.#releaseSwitchWaiters();
    this.#started(undefined);
  }

  #started(error: TranscribeError | undefined): void {
    this.#startWaiter?.(error);
    this.#startWaiter = undefined;
  }

  #releaseSwitchWaiters(): void {
    const waiters = this.#switchWaiters;
    this.#switchWaiters = [];
    for (const w of waiters) w();
  }

  #abandon(s: TranscribeStream | undefined, reason: string): void {
    if (!s) return;
    if (s === this.#cur) this.#cur = undefined;
    if (s === this.#next) this.#next = undefined;
    s.close(reason);
  }

  /** A bug of ours surfaced in a timer or a connect: reported (an error frame nobody listens to is logged), and the streams go on. */
  #internal(err: unknown): void {
    const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    this.#ctx.error(new TranscribeError('INTERNAL', `internal error in transcribe-stream (please report it): ${this.#ctx.clean(what)}`, { cause: err }), false);
  }

  #idle(): boolean {
    return !this.#cur && !this.#next && !this.#draining.size && !this.#retry.pending;
  }
}
