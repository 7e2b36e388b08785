/**
 * SIGINT (Ctrl-C) and SIGTERM (kill, service managers, containers). The first one of either kind
 * asks the run for a graceful stop (the finals so far, the summary) that must end within a grace
 * period; a second one, or a run still alive well after its grace period, ends the process at once.
 * The exit code is 128 + the signal number, as a shell reports a process ended by that signal.
 */

export type StopSignal = 'SIGINT' | 'SIGTERM';

export const SIGNAL_EXIT_CODE: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143 };

/**
 * How long a graceful stop may take after the signal. Ctrl-C is a person who wants the last
 * finals; SIGTERM is a supervisor that wants the process gone and will kill it soon.
 */
export const GRACE_MS: Readonly<Record<StopSignal, number>> = { SIGINT: 5000, SIGTERM: 3000 };

/** Past the grace period, how long the run may take to wind down before the process exits anyway. */
export const BACKSTOP_MS = 2000;

export interface InterruptHandlers {
  /** The first signal: stop gracefully, within GRACE_MS[signal]. */
  stop(signal: StopSignal): void;
  /** The process exits right after this returns: save what can be saved, synchronously. */
  abort(): void;
}

export interface SignalHost {
  on(signal: StopSignal, fn: (signal: StopSignal) => void): unknown;
  off(signal: StopSignal, fn: (signal: StopSignal) => void): unknown;
  exit(code: number): void;
}

/** Watches both signals for one run; returns the unsubscribe function. */
export function watchSignals(h: InterruptHandlers, host: SignalHost = nodeHost()): () => void {
  let first: StopSignal | undefined;
  let backstop: ReturnType<typeof setTimeout> | undefined;
  let aborted = false;
  const abort = (code: number): void => {
    if (aborted) return;
    aborted = true;
    try {
      h.abort();
    } finally {
      host.exit(code);
    }
  };
  const handler = (signal: StopSignal): void => {
    if (first !== undefined) return abort(SIGNAL_EXIT_CODE[signal]);
    first = signal;
    const code = SIGNAL_EXIT_CODE[signal];
    // The run bounds its own stop; this only catches a run stuck somewhere it cannot see.
    backstop = setTimeout(() => abort(code), GRACE_MS[signal] + BACKSTOP_MS);
    backstop.unref?.();
    h.stop(signal);
  };
  host.on('SIGINT', handler);
  host.on('SIGTERM', handler);
  return () => {
    host.off('SIGINT', handler);
    host.off('SIGTERM', handler);
    if (backstop !== undefined) clearTimeout(backstop);
  };
}

function nodeHost(): SignalHost {
  return {
    on: (signal, fn) => process.on(signal, fn),
    off: (signal, fn) => process.off(signal, fn),
    exit: (code) => process.exit(code),
  };
}

/**
 * What the run sees of an interruption: which signal came first, a promise that settles with it
 * (to race reads and connects against), and one that settles when its grace period is over.
 */
export class Interruption {
  #signal: StopSignal | undefined;
  #at = 0;
  #wake: () => void = () => undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #graceWake: () => void = () => undefined;
  readonly happened: Promise<void>;
  readonly graceOver: Promise<void>;

  constructor() {
    this.happened = new Promise<void>((resolve) => (this.#wake = resolve));
    this.graceOver = new Promise<void>((resolve) => (this.#graceWake = resolve));
  }

  get signal(): StopSignal | undefined {
    return this.#signal;
  }

  /** Milliseconds since the signal (0 before any). */
  sinceMs(now: number = Date.now()): number {
    return this.#signal === undefined ? 0 : now - this.#at;
  }

  trigger(signal: StopSignal): void {
    if (this.#signal !== undefined) return;
    this.#signal = signal;
    this.#at = Date.now();
    this.#timer = setTimeout(this.#graceWake, GRACE_MS[signal]);
    this.#wake();
  }

  /** Clears the grace timer so an ended run leaves nothing pending. */
  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }
}
