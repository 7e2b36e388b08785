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
