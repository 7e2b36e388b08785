/**
 * Typed errors. Every error carries a stable `code`; callers branch on `code`, `retryable` and
 * `exceptionType`, never on message text. Messages say what was wrong and what to do, and never
 * contain a secret (secret key, session token, signature): whoever builds a message from user
 * input passes URLs through `redactUrl` first.
 */

/** AWS exception names a Transcribe stream can end with (`:exception-type`). */
export type TranscribeExceptionType =
  | 'BadRequestException'
  | 'LimitExceededException'
  | 'InternalFailureException'
  | 'ConflictException'
  | 'ServiceUnavailableException'
  | 'UnrecognizedClientException';

export type TranscribeErrorCode =
  // Service-side, mapped from `:exception-type` or the handshake's HTTP status.
  | 'BAD_REQUEST'
  | 'LIMIT_EXCEEDED'
  | 'INTERNAL_FAILURE'
  | 'CONFLICT'
  | 'SERVICE_UNAVAILABLE'
  | 'UNRECOGNIZED_CLIENT'
  | 'AUTH_FAILED'
  | 'IDLE_TIMEOUT'
  // Client-side.
  | 'INVALID_OPTION'
  | 'INVALID_AUDIO'
  | 'NOT_STARTED'
  | 'ALREADY_STARTED'
  | 'STOPPED'
  | 'NO_CREDENTIALS'
  | 'CONNECTION_FAILED'
  | 'CONNECTION_LOST'
  | 'PROTOCOL'
  | 'CONNECT_TIMEOUT'
  | 'CREDENTIALS_TIMEOUT'
  // The `url` option's provider: it threw or rejected (retryable), did not answer in time
  // (retryable), answered with a URL that does not fit the service's settings, or an expired one.
  | 'URL_PROVIDER_FAILED'
  | 'URL_TIMEOUT'
  | 'URL_MISMATCH'
  | 'URL_EXPIRED'
  | 'TIMEOUT'
  | 'CANCELLED'
  // A bug of this library, caught before it could reach the runtime: please report it.
  | 'INTERNAL';

export interface TranscribeErrorInit {
  retryable?: boolean;
  exceptionType?: TranscribeExceptionType;
  status?: number;
  cause?: unknown;
}

/** The one error class of the library's service layer. */
export class TranscribeError extends Error {
  override readonly name: string = 'TranscribeError';
  readonly code: TranscribeErrorCode;
  readonly retryable: boolean;
  readonly exceptionType: TranscribeExceptionType | undefined;
  /** HTTP status of a refused handshake, when known. */
  readonly status: number | undefined;

  constructor(code: TranscribeErrorCode, message: string, init: TranscribeErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.retryable = init.retryable ?? false;
    this.exceptionType = init.exceptionType;
    this.status = init.status;
  }

  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}

/** A bad option value, found before anything is signed or sent. `option` names it. */
export class OptionError extends TranscribeError {
  override readonly name: string = 'OptionError';
  readonly option: string;

  constructor(option: string, message: string) {
    super('INVALID_OPTION', `${option}: ${message}`);
    this.option = option;
  }
}
