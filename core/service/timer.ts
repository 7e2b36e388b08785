/**
 * One named timer of the service over the runtime's (injected) setTimeout. A callback that throws
 * is a bug of ours; it goes to `onError` instead of the runtime's event loop, where in Node it would
 * end the process and every call in it.
 */

export type SetTimer = (fn: () => void, ms: number) => unknown;
export type ClearTimer = (handle: unknown) => void;

export class Timer {
  readonly #set: SetTimer;
  readonly #clear: ClearTimer;
  readonly #onError: (err: unknown) => void;
  #handle: unknown;

  constructor(set: SetTimer, clear: ClearTimer, onError: (err: unknown) => void) {
    this.#set = set;
    this.#clear = clear;
    this.#onError = onError;
  }

  get pending(): boolean {
    return this.#handle !== undefined;
  }

  /** Run `fn` after `ms`, replacing any pending run. */
  start(fn: () => void, ms: number): void {
    this.stop();
    this.#handle = this.#set(() => {
      this.#handle = undefined;
      try {
        fn();
      } catch (err) {
        this.#onError(err);
      }
    }, ms);
  }

  stop(): void {
    if (this.#handle === undefined) return;
    this.#clear(this.#handle);
    this.#handle = undefined;
  }
}

export const setGlobalTimer: SetTimer = (fn, ms) => globalThis.setTimeout(fn, ms);
export const clearGlobalTimer: ClearTimer = (handle) =>
  globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>);
