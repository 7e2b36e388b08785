/**
 * The emulator's own failures (bad options stay OptionErrors): a missing optional peer, and a
 * recording read after the retention limits released it. Typed with a stable `code`, as every
 * error of the package.
 */

export type EmulatorErrorCode =
  /** The optional peer `ws` (the WebSocket server) is not installed. */
  | 'WS_NOT_INSTALLED'
  /** A session's audio was released by `retain.audioBytes` (or never kept). */
  | 'AUDIO_RELEASED'
  /** A session's events were released by `retain.events` (or never kept). */
  | 'EVENTS_RELEASED';

export class EmulatorError extends Error {
  override readonly name: string = 'EmulatorError';
  readonly code: EmulatorErrorCode;

  constructor(code: EmulatorErrorCode, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
  }

  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}
