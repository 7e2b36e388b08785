/**
 * When to open the next stream after a failure, and when to give up. Two memories:
 *
 * - the incident: attempts since a stream last opened, bounded by `maxReconnectAttempts`, plus
 *   Pipecat's quick-failure guard (streams that die right after opening, several times in a row);
 * - the run of failures: every failure since a stream last stayed up `HEALTHY_MS`. The wait doubles
 *   along the run, across incidents, so a server that accepts and then fails every stream a few
 *   seconds later gets a few new streams a minute, not one every couple of seconds.
 *
 * Throttling (LimitExceeded, HTTP 429) starts from a longer wait and may wait longer.
 */

import { TranscribeError } from '../../errors.js';

/** A stream that stayed open this long ends a run of failures. */
export const HEALTHY_MS = 60_000;
/** A stream that dies this soon after opening, this many times in a row, is fatal (Pipecat's guard). */
export const QUICK_FAILURE_MS = 2000;
export const QUICK_FAILURE_LIMIT = 3;

interface Curve {
  firstMs: number;
  capMs: number;
}

/** Waits double from `firstMs` up to `capMs`, then each wait is jittered down by up to half. */
export const RETRY_CURVE: Curve = { firstMs: 250, capMs: 30_000 };
export const THROTTLED_CURVE: Curve = { firstMs: 1000, capMs: 60_000 };

export type BackoffDecision = { retryInMs: number; attempt: number } | { giveUp: TranscribeError; attempt: number };

export class ReconnectBackoff {
  /** Attempts in the current incident (since a stream last opened). */
  #attempt = 0;
  /** Failures since a stream last stayed up HEALTHY_MS. */
  #run = 0;
  /** Streams in a row that died within QUICK_FAILURE_MS of opening. */
  #quick = 0;
  /** An idle timeout only the service saw was retried since a stream last stayed up HEALTHY_MS. */
  #idleRetried = false;

  reset(): void {
    this.#attempt = this.#run = this.#quick = 0;
    this.#idleRetried = false;
  }

  /** A stream opened: the incident is over (the run of failures is not). */
  opened(): void {
    this.#attempt = 0;
  }

  /** A stream that had opened closed, `livedMs` after opening. */
  closed(livedMs: number): void {
    if (livedMs >= HEALTHY_MS) {
      this.#run = 0;
      this.#idleRetried = false;
    }
    this.#quick = livedMs < QUICK_FAILURE_MS ? this.#quick + 1 : 0;
  }

  /**
   * AWS's idle timeout although audio was being sent: retried once; a second one before a stream
   * stayed up HEALTHY_MS is fatal (audio is not reaching the service).
   */
  unexplainedIdle(error: TranscribeError): TranscribeError {
    if (!this.#idleRetried) {
      this.#idleRetried = true;
      return error;
    }
    return new TranscribeError(
      'IDLE_TIMEOUT',
      `${error.message}: it happened again, so audio is not reaching the service (a proxy or network in between?); ` +
        `giving up`,
      {
        exceptionType: 'BadRequestException',
      },
    );
  }

  /** After `error`: retry after a wait, or give up (with the error to report). */
  next(
    error: TranscribeError,
    o: { reconnectOnError: boolean; maxReconnectAttempts: number },
    random: () => number,
  ): BackoffDecision {
    if (!error.retryable || !o.reconnectOnError || this.#attempt >= o.maxReconnectAttempts)
      return { giveUp: error, attempt: this.#attempt };
    if (this.#quick >= QUICK_FAILURE_LIMIT) {
      const why = new TranscribeError(
        error.code,
        `${error.message} (failed right after opening ${this.#quick} times in a row; giving up)`,
        {
          ...(error.exceptionType ? { exceptionType: error.exceptionType } : {}),
          ...(error.status !== undefined ? { status: error.status } : {}),
          cause: error,
        },
      );
      return { giveUp: why, attempt: this.#attempt };
    }
    const attempt = ++this.#attempt;
    const run = ++this.#run;
    const curve = error.code === 'LIMIT_EXCEEDED' ? THROTTLED_CURVE : RETRY_CURVE;
    const full = Math.min(curve.capMs, curve.firstMs * 2 ** Math.min(run - 1, 30));
    return { retryInMs: full * (0.5 + 0.5 * random()), attempt };
  }
}
