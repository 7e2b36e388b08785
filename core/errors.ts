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
  // This runtime lacks what the library needs and nothing was passed instead (Node before 22: no
  // global WebSocket).
  | 'RUNTIME_UNSUPPORTED'
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

/** Frames of a V8 stack (`    at f (file:1:2)`) or of SpiderMonkey's and JavaScriptCore's (`f@file:1:2`). */
const FRAME = /^\s*at\s|^[^\s@]*@\S+:\d+:\d+$/;
const MAX_FRAMES = 10;

/** `name: message` and the first frames of `stack`, each cleaned: the stack of an error made fit to show. */
function cleanedStack(name: string, message: string, stack: unknown, clean: (text: string) => string): string {
  const frames = (typeof stack === 'string' ? stack : '')
    .split('\n')
    .filter((line) => FRAME.test(line))
    .slice(0, MAX_FRAMES)
    .map((line) => `    ${clean(line)}`);
  return [`${name}: ${message}`, ...frames].join('\n');
}

/**
 * What may stand as the `cause` of a TranscribeError built from something thrown outside the
 * library (a credentials or URL provider): an Error of the same name whose message and stack frames
 * went through `clean`, and nothing else of the original. The original itself must never be the
 * cause: console.error(err) and util.inspect print a cause with its message and stack, and its
 * message may carry the very secret the outer message scrubbed. Never throws.
 */
export function cleanedCause(err: unknown, clean: (text: string) => string): Error {
  let name = 'Error';
  let text: string = typeof err;
  let stack: unknown;
  try {
    // Getters of a hostile or exotic object may throw: what was read until then is kept.
    if (err instanceof Error) {
      text = String(err.message);
      if (/^[\w$.]{1,60}$/.test(String(err.name))) name = String(err.name);
      stack = err.stack;
    } else text = String(err);
  } catch {
    // nothing more to say about it
  }
  const cause = new Error(clean(text));
  Object.defineProperty(cause, 'name', { value: name, writable: true, configurable: true });
  cause.stack = cleanedStack(name, cause.message, stack, clean);
  return cause;
}

/**
 * A TranscribeError thrown to the library from outside (by a credentials or URL provider), made fit
 * to pass on: its message and stack cleaned, its cause replaced by a cleanedCause; code, retryable
 * and the rest kept. In place, so its class and fields survive (DefaultChainError's `problem`, an
 * application's own subclass); a frozen one is copied into a plain TranscribeError instead.
 */
export function cleanedError(err: TranscribeError, clean: (text: string) => string): TranscribeError {
  let message = 'a TranscribeError whose message could not be read';
  let cause: Error | undefined;
  try {
    message = clean(err.message);
    if (err.cause !== undefined) cause = cleanedCause(err.cause, clean);
    err.message = message;
    err.stack = cleanedStack(err.name, message, err.stack, clean);
    if (cause !== undefined) err.cause = cause;
    return err;
  } catch {
    return new TranscribeError(err.code, message, {
      retryable: err.retryable,
      ...(err.exceptionType !== undefined ? { exceptionType: err.exceptionType } : {}),
      ...(err.status !== undefined ? { status: err.status } : {}),
      ...(cause !== undefined ? { cause } : {}),
    });
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
