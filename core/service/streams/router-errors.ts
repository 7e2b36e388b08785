/**
 * The errors the router makes itself (those of a stream come from handshake-error.ts and the
 * stream): what went wrong and, where there is something to do, what. Text that came from outside
 * goes through the context's `clean` (safeText over the service's secrets).
 */

import { TranscribeError } from '../../errors.js';
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

/** Resolving a stream's URL threw something that is not a TranscribeError. */
export function noUrlError(err: unknown, ctx: Pick<RouterContext, 'clean'>): TranscribeError {
  return new TranscribeError('INTERNAL', `no URL to connect to: ${ctx.clean(String(err))}`, { cause: err });
}

/** A bug of ours, caught in a timer or a connect. */
export function internalError(err: unknown, ctx: Pick<RouterContext, 'clean'>): TranscribeError {
  const what = ctx.clean(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  return new TranscribeError('INTERNAL', `internal error in transcribe-stream (please report it): ${what}`, {
    cause: err,
  });
}
