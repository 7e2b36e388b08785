/**
 * How the router gets a new stream: its URL from the run's ConnectTarget (credentials it signs
 * with, or the application's URL provider), then the TranscribeStream on that URL. Each slot, the
 * current stream's (re)connect and a switch's next stream, waits for its URL on a timer of its own
 * (bounded by credentialsTimeoutMs), since both may wait at once.
 */

import { redactUrl } from '../../sigv4/redact.js';
import type { ClearTimer, SetTimer, Timer } from '../timer.js';
import type { ConnectRequest, ConnectTarget, StreamTarget } from './connect-target.js';
import type { RouterContext } from './router-context.js';
import { TranscribeStream } from './stream.js';
import type { StreamHandlers } from './stream.js';

/** Which stream a connect is for: the current one's (re)connect, or the next one of a switch. */
export type Slot = 'cur' | 'next';

export class StreamConnector {
  readonly #ctx: RouterContext;
  readonly #handlers: StreamHandlers;
  readonly #set: SetTimer;
  readonly #clear: ClearTimer;
  readonly #waits: Readonly<Record<Slot, Timer>>;
  /** Bumped by reset(): a connect of an earlier run sees it and stops. */
  #run = 0;
  /** Bumped by each connect of a slot: an older connect still waiting for its URL stops. */
  readonly #seq: Record<Slot, number> = { cur: 0, next: 0 };
  #streams = 0;
  /** Set by reset(), before anything uses it. */
  #target!: ConnectTarget;
  /** The host of the last stream, for messages. */
  where = '';

  constructor(
    ctx: RouterContext,
    handlers: StreamHandlers,
    timers: { set: SetTimer; clear: ClearTimer; waits: Readonly<Record<Slot, Timer>> },
  ) {
    this.#ctx = ctx;
    this.#handlers = handlers;
    this.#set = timers.set;
    this.#clear = timers.clear;
    this.#waits = timers.waits;
  }

  /** A fresh run, with its way to a URL: connects of the last run stop, stream numbers start again. */
  reset(target: ConnectTarget): void {
    this.#run++;
    this.#target = target;
    this.#streams = 0;
  }

  /** Milliseconds until the stream should move to a new URL for its credentials' sake; Infinity: never. */
  msUntilRefresh(): number {
    return this.#target.msUntilRefresh();
  }

  /** Starts a connect of `slot`: the function says whether it is still the latest of its slot and run. */
  begin(slot: Slot): () => boolean {
    const run = this.#run;
    const seq = ++this.#seq[slot];
    return () => run === this.#run && seq === this.#seq[slot];
  }

  /** Connects of `slot` still under way are obsolete (a switch filled the slot): they stop. */
  cancelPending(slot: Slot): void {
    this.#seq[slot]++;
  }

  /** The URL of a new stream of `slot` (rejects as ConnectTarget.resolve does). */
  resolve(slot: Slot, request: ConnectRequest): Promise<StreamTarget> {
    return this.#target.resolve(request, this.#ctx.options.credentialsTimeoutMs, this.#waits[slot]);
  }

  /** A new stream to `target`, numbered, counted and logged; it connects at once. */
  open(target: StreamTarget, sessionId: string | undefined): TranscribeStream {
    const ctx = this.#ctx;
    const number = ++this.#streams;
    const { url, where } = target;
    this.where = where;
    ctx.log.debug?.(`stream ${number}: connecting to ${redactUrl(url)}`);
    if (number > 1) ctx.counters.reconnects++;
    const o = ctx.options;
    return new TranscribeStream({
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
  }

  /** Stops both waits for a URL. */
  stop(): void {
    this.#waits.cur.stop();
    this.#waits.next.stop();
  }
}
