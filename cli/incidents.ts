/**
 * Connection trouble as a person reads it on stderr: one message per incident, not one per
 * attempt. An incident starts when a stream fails or is lost and ends when a stream opens again;
 * its first failure is printed in full, later attempts only as "retrying (2/3)..." unless they
 * fail differently. Before the first stream ever opened, quick failures stay quiet (if they all
 * fail, the run's last line says why); slow ones (a connect timeout) are shown, so nobody stares
 * at a silent terminal for half a minute.
 */

import type { ConnectionErrorEvent, TranscribeError } from '../adapters/node.js';

export interface IncidentOptions {
  /** Prints one line on stderr. */
  note(text: string): void;
  /** The service's retry limit, shown as "(2/3)"; undefined shows the attempt alone. */
  maxAttempts: number | undefined;
  now?: () => number;
}

/** A failed attempt before the first stream that took at least this long is worth a line. */
export const SLOW_ATTEMPT_MS = 3000;

export class IncidentReport {
  readonly #o: IncidentOptions;
  readonly #now: () => number;
  /** Errors already told as part of an incident (the service also emits each as an error frame). */
  readonly #told = new WeakSet<TranscribeError>();
  #everOpened = false;
  /** The code of the failure printed in full for the open incident, if any. */
  #shownCode: string | undefined;
  #attemptStartedAt: number;
  #lastWarning: string | undefined;

  constructor(o: IncidentOptions) {
    this.#o = o;
    this.#now = o.now ?? Date.now;
    this.#attemptStartedAt = this.#now();
  }

  /** A stream opened: whatever incident was open is over. */
  connected(): void {
    this.#everOpened = true;
    this.#shownCode = undefined;
  }

  /** The service's `connectionError` event. A failure it will not retry is the run's last line, not a warning. */
  connectionError(e: ConnectionErrorEvent): void {
    this.#told.add(e.error);
    const started = this.#attemptStartedAt;
    this.#attemptStartedAt = this.#now();
    if (!e.willRetry) return;
    if (!this.#everOpened && this.#shownCode === undefined && this.#attemptStartedAt - started < SLOW_ATTEMPT_MS)
      return;
    const count = this.#o.maxAttempts !== undefined ? `${e.attempt}/${this.#o.maxAttempts}` : String(e.attempt);
    if (this.#shownCode === e.error.code) {
      this.#o.note(`transcribe-stream: retrying (${count})...`);
      return;
    }
    this.#shownCode = e.error.code;
    this.#o.note(`transcribe-stream: warning: ${e.error.message}; retrying (${count})...`);
  }

  /** A non-fatal error frame: printed unless an incident already told it, or it repeats the last warning. */
  warning(error: TranscribeError): void {
    if (this.#told.has(error)) return;
    const text = `transcribe-stream: warning: ${error.message}`;
    if (text === this.#lastWarning) return;
    this.#lastWarning = text;
    this.#o.note(text);
  }
}
