/**
 * The service's errors as agents-js's APIError family, which its SpeechStream retry loop reads.
 *
 * Who retries: the service. It reconnects by itself (backoff, audio kept in its backlog and sent
 * on the new stream), so a drop or a throttled connect never reaches the framework. What reaches
 * it is an error the service gave up on, after the framework's own `maxRetry` attempts (see
 * options.ts), so it is always `retryable: false`: a framework retry would start a new run that
 * has lost the audio the failed one took, and would multiply the attempts.
 */

import type { APIError } from '@livekit/agents';
import { TranscribeError } from '../node.js';
import type { StopResult, TranscribeExceptionType } from '../node.js';
import { agents } from './peers.js';

/** HTTP status of each exception in the StartStreamTranscription API reference ("Errors"). */
const EXCEPTION_STATUS: Record<TranscribeExceptionType, number> = {
  BadRequestException: 400,
  UnrecognizedClientException: 403,
  ConflictException: 409,
  LimitExceededException: 429,
  InternalFailureException: 500,
  ServiceUnavailableException: 503,
};

/** Errors of the connection, not of a request AWS answered (CONNECT_TIMEOUT: the service's connect deadline). */
const CONNECTION: ReadonlySet<string> = new Set([
  'CONNECTION_FAILED',
  'CONNECTION_LOST',
  'CONNECT_TIMEOUT',
  'TIMEOUT',
  'PROTOCOL',
]);

/**
 * APIStatusError when AWS answered (a refused handshake's status, or a mid-stream exception),
 * APIConnectionError for the connection, APIError for the rest (credentials, options).
 * `body` carries the stable `code` to branch on; `cause` the TranscribeError itself.
 */
export function toAPIError(err: unknown): APIError {
  if (!(err instanceof TranscribeError)) {
    // A bug or misuse (e.g. mono frames with channel identification on), not a service answer.
    const out = new agents.APIError(`Amazon Transcribe: ${err instanceof Error ? err.message : String(err)}`, {
      retryable: false,
    });
    out.cause = err;
    return out;
  }
  const e = err;
  const message = `Amazon Transcribe: ${e.message} [${e.code}]`;
  const body = e.exceptionType ? { code: e.code, exceptionType: e.exceptionType } : { code: e.code };
  const statusCode = e.status ?? (e.exceptionType ? EXCEPTION_STATUS[e.exceptionType] : undefined);
  let out: APIError;
  if (statusCode !== undefined) {
    out = new agents.APIStatusError({ message, options: { statusCode, body, retryable: false } });
  } else if (CONNECTION.has(e.code)) {
    out = new agents.APIConnectionError({ message, options: { retryable: false } });
  } else {
    out = new agents.APIError(message, { body, retryable: false });
  }
  out.cause = e;
  return out;
}

/** The error a `stop()` ended with, if any (the service's stop() never rejects for the network). */
export function stopFailure(result: StopResult): TranscribeError | undefined {
  return result.complete ? undefined : result.error;
}
