/**
 * How a stream that did not end as asked is reported: a refused or failed handshake (by HTTP status
 * where the runtime could see it), or a connection lost after it opened. Texts in `info` came from
 * the network: the close reason has been cleaned by the stream already; a handshake body is cleaned
 * here, after its JSON was read (JSON escapes could otherwise hide control characters or a secret).
 */

import { TranscribeError } from '../../errors.js';
import type { TranscribeErrorCode, TranscribeExceptionType } from '../../errors.js';
import type { SocketCloseInfo } from './socket.js';

/** A stream that ended without an exception or an end we asked for: always worth a retry. */
export function lostError(what: string, info: SocketCloseInfo): TranscribeError {
  return new TranscribeError('CONNECTION_LOST', `${what} (code ${info.code}${info.reason ? `: ${info.reason}` : ''})`, {
    retryable: true,
  });
}

const IAM_HINT =
  'check that the credentials allow transcribe:StartStreamTranscriptionWebSocket in this region, the session token ' +
  'is current ' +
  'and the clock is right (presigned URLs live 5 minutes)';

interface Refusal {
  code: TranscribeErrorCode;
  what: string;
  exceptionType?: TranscribeExceptionType;
}

/** Handshake statuses with a code of their own (401 is answered like 403). */
const REFUSALS: Record<number, Refusal> = {
  400: { code: 'BAD_REQUEST', what: 'rejected the stream parameters', exceptionType: 'BadRequestException' },
  403: { code: 'AUTH_FAILED', what: 'refused the signed request' },
  429: {
    code: 'LIMIT_EXCEEDED',
    what: 'is over the concurrent-stream limit; backing off',
    exceptionType: 'LimitExceededException',
  },
  500: { code: 'INTERNAL_FAILURE', what: 'failed internally', exceptionType: 'InternalFailureException' },
  503: { code: 'SERVICE_UNAVAILABLE', what: 'is unavailable', exceptionType: 'ServiceUnavailableException' },
};

const OTHER_REFUSAL: Refusal = { code: 'CONNECTION_FAILED', what: 'refused the WebSocket upgrade' };

/** A refused or failed handshake, by HTTP status when the runtime could see it. */
export function handshakeError(info: SocketCloseInfo, where: string, clean: (text: string) => string): TranscribeError {
  const status = info.status;
  if (status === undefined) {
    // Browsers hide the status of a refused upgrade, so a bad signature looks like a network failure there.
    const hidden = info.statusHidden
      ? `; this runtime hides why a handshake failed, so it may also be refused credentials: ${IAM_HINT}`
      : '';
    return new TranscribeError(
      'CONNECTION_FAILED',
      `could not open a WebSocket to ${where} (close code ${info.code}): check the network, endpoint and ` +
        `region${hidden}`,
      { retryable: true },
    );
  }
  const refusal = REFUSALS[status === 401 ? 403 : status] ?? OTHER_REFUSAL;
  const auth = refusal.code === 'AUTH_FAILED' ? `; ${IAM_HINT}` : '';
  const body = info.body ? ` AWS said: ${clean(bodyMessage(info.body))}` : '';
  return new TranscribeError(refusal.code, `${where} ${refusal.what} (HTTP ${status})${auth}.${body}`, {
    status,
    retryable: status === 429 || status >= 500,
    ...(refusal.exceptionType ? { exceptionType: refusal.exceptionType } : {}),
  });
}

/** The message of an AWS JSON error body, else the body's text. */
function bodyMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; Message?: unknown } | null;
    const m = parsed?.message ?? parsed?.Message;
    if (typeof m === 'string') return m;
  } catch {
    // not JSON: keep the text
  }
  return body;
}
