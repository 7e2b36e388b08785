/**
 * The errors the router makes itself (those of a stream come from handshake-error.ts and the
 * stream): what went wrong and, where there is something to do, what. Text that came from outside
 * goes through the context's `clean` (safeText over the service's secrets).
 */

import { cleanedCause, TranscribeError } from '../../errors.js';
import type { RouterContext } from './router-context.js';
import { lostError } from './handshake-error.js';
import { STALL_MS } from './outlet.js';

/** The socket to `where` kept refusing audio for STALL_MS: worth a new stream. */
export function stalledError(where: string): TranscribeError {
  return lostError(`${where} stopped taking audio for ${STALL_MS / 1000} s`, { code: 1000, reason: '', opened: true });
}

/** stop() waited `ms` for the last results. */
export function stopTimeoutError(ms: number): TranscribeError {
  return new TranscribeError(
    'TIMEOUT',
    `stop(): the last results did not arrive within ${ms} ms (stopTimeoutMs plus the queued audio); ` +
      'closed without them',
  );
}

/** stop() or cancel() ended the run before a stream opened: what start() rejects with. */
export function cancelledStartError(): TranscribeError {
  return new TranscribeError('CANCELLED', 'stop() or cancel() before a stream opened: nothing was transcribed');
}

/**
 * A switch could not get its new stream; the current one goes on. A settings change applies from
 * the next stream; a rotation or a credential refresh is tried again later.
 */
export function switchFailedError(
  error: TranscribeError,
  reason: 'settings' | 'rotation' | 'credentials',
): TranscribeError {
  const what = reason === 'rotation' ? 'rotation' : 'credential refresh';
  const then =
    reason === 'settings'
      ? 'the current stream goes on with the previous settings; the new ones apply from the next stream'
      : `the current stream goes on; the ${what} is tried again in 30 s`;
  return new TranscribeError(error.code, `could not open the new stream of a switch: ${error.message} (${then})`, {
    retryable: error.retryable,
    ...(error.exceptionType ? { exceptionType: error.exceptionType } : {}),
    ...(error.status !== undefined ? { status: error.status } : {}),
  });
}

export function cancelledStopError(): TranscribeError {
  return new TranscribeError('CANCELLED', 'cancel() during stop(): the last results were dropped');
}

/** What was thrown, for a message: `Name: message` for an Error, else its cleaned text. */
const described = (err: unknown, cause: Error): string =>
  err instanceof Error ? `${cause.name}: ${cause.message}` : cause.message;

/** Resolving a stream's URL threw something that is not a TranscribeError. */
export function noUrlError(err: unknown, ctx: Pick<RouterContext, 'clean'>): TranscribeError {
  const cause = cleanedCause(err, ctx.clean);
  return new TranscribeError('INTERNAL', `no URL to connect to: ${described(err, cause)}`, { cause });
}

/**
 * A bug of ours, caught in a timer or a connect. Its cause is a cleaned copy (name, message and
 * frames, for the report) like any error from outside: a bug's message may quote outside text
 * (V8's JSON.parse errors quote the input).
 */
export function internalError(err: unknown, ctx: Pick<RouterContext, 'clean'>): TranscribeError {
  const cause = cleanedCause(err, ctx.clean);
  return new TranscribeError(
    'INTERNAL',
    `internal error in transcribe-stream (please report it): ${described(err, cause)}`,
    { cause },
  );
}
