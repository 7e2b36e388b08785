// Records what would crash a host process: an uncaught exception or an unhandled rejection. With
// these handlers installed the test process survives them, so each one becomes a finding attributed
// to the step that caused it instead of a lost test runner.

export interface Escape {
  how: 'uncaughtException' | 'unhandledRejection';
  error: unknown;
}

export class ProcessGuard {
  readonly escapes: Escape[] = [];
  readonly #onException = (error: unknown): void => void this.escapes.push({ how: 'uncaughtException', error });
  readonly #onRejection = (error: unknown): void => void this.escapes.push({ how: 'unhandledRejection', error });

  install(): this {
    process.on('uncaughtException', this.#onException);
    process.on('unhandledRejection', this.#onRejection);
    return this;
  }

  uninstall(): void {
    process.off('uncaughtException', this.#onException);
    process.off('unhandledRejection', this.#onRejection);
  }

  /** What escaped since the last call. */
  take(): Escape[] {
    return this.escapes.splice(0, this.escapes.length);
  }
}
