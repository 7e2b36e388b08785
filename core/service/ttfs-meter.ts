/**
 * Time to final segment (TTFS; Pipecat calls it the STT's TTFB) as Pipecat measures it.
 *
 * With a VAD (the application calls `userStartedSpeaking()`/`userStoppedSpeaking()`): from the
 * end of speech to the last final that arrives within a window after it (`ttfsWindowMs`, Pipecat's
 * `stt_ttfb_timeout`, 2 s), reported when the window closes. A final from before the end of speech
 * is an earlier segment and does not count; no final in the window, no measurement. The user
 * speaking again, or an interruption, drops the measurement in progress.
 *
 * Without a VAD (neither was ever called): per final, from the moment the audio at the final's
 * end time was pushed.
 */

import type { Timer } from './timer.js';

export class TtfsMeter {
  readonly #window: Timer;
  readonly #windowMs: number;
  readonly #report: (seconds: number) => void;
  /** The application has a VAD: measure from its end of speech only. */
  #vad = false;
  #speechEndAt: number | undefined;
  #lastFinalAt: number | undefined;

  constructor(window: Timer, windowMs: number, report: (seconds: number) => void) {
    this.#window = window;
    this.#windowMs = windowMs;
    this.#report = report;
  }

  /** Speech (again): a measurement in progress is dropped. */
  speechStarted(): void {
    this.#vad = true;
    this.interrupted();
  }

  /** An interruption: a measurement in progress is dropped. */
  interrupted(): void {
    this.#window.stop();
    this.#speechEndAt = undefined;
  }

  /** The end of speech at `at` (ms): the window for its final opens. */
  speechStopped(at: number): void {
    this.#vad = true;
    this.#window.stop();
    this.#speechEndAt = at;
    this.#window.start(() => this.#close(), this.#windowMs);
  }

  /** A final arrived at `at`; `pushedAt` is when the audio at its end was pushed, if known. */
  final(at: number, pushedAt: number | undefined): void {
    this.#lastFinalAt = at;
    if (!this.#vad && pushedAt !== undefined && pushedAt <= at) this.#report((at - pushedAt) / 1000);
  }

  /** The run ends: an open window is closed with what arrived. */
  finish(): void {
    if (this.#window.pending) {
      this.#window.stop();
      this.#close();
    }
    this.#vad = false;
    this.#speechEndAt = this.#lastFinalAt = undefined;
  }

  #close(): void {
    const end = this.#speechEndAt;
    const final = this.#lastFinalAt;
    this.#speechEndAt = undefined;
    if (end !== undefined && final !== undefined && final >= end) this.#report((final - end) / 1000);
  }
}
