/**
 * What the service sends back, classified: a TranscriptEvent, or an exception turned into a
 * `TranscribeError`. Classification uses only the `:message-type` / `:exception-type` headers
 * (per the Transcribe streaming API), never the message text.
 */

import { TranscribeError } from './errors.js';
import type { TranscribeErrorCode, TranscribeExceptionType } from './errors.js';
import type { Message } from './eventstream.js';
import type { TranscriptEvent } from './transcript.js';
import { utf8Decode } from './utf8.js';

export type ServerMessage =
  | { kind: 'transcript'; event: TranscriptEvent }
  | { kind: 'error'; error: TranscribeError };

/**
 * The exceptions of the Transcribe streaming API; the first three are worth a retry. Each one's
 * code is its name without "Exception" in SCREAMING_SNAKE_CASE (LimitExceededException: LIMIT_EXCEEDED).
 */
const EXCEPTIONS: readonly TranscribeExceptionType[] = [
  'LimitExceededException',
  'InternalFailureException',
  'ServiceUnavailableException',
  'BadRequestException',
  'ConflictException',
  'UnrecognizedClientException',
];

/** Turn one decoded event-stream message from Transcribe into a transcript or a typed error. */
export function parseServerMessage(msg: Message): ServerMessage {
  const header = (name: string): string | undefined => {
    const h = msg.headers[name];
    return h?.type === 'string' ? h.value : undefined;
  };
  let body: { Transcript?: { Results?: unknown }; Message?: unknown; message?: unknown } | undefined;
  try {
    body = JSON.parse(utf8Decode(msg.body));
  } catch {
    // not JSON: no transcript, no exception text
  }
  const type = header(':message-type');
  const isError = type === 'error';
  if (type === 'exception' || isError) {
    // An exception of the API, or a generic event-stream error (:error-code / :error-message).
    const name = header(isError ? ':error-code' : ':exception-type') ?? (isError ? 'UnknownError' : 'UnknownException');
    const text = isError ? header(':error-message') : typeof body?.Message === 'string' ? body.Message : body?.message;
    const known = isError ? -1 : EXCEPTIONS.indexOf(name as TranscribeExceptionType);
    const code = known < 0 ? 'PROTOCOL' : (name.slice(0, -9).replace(/\B[A-Z]/g, '_$&').toUpperCase() as TranscribeErrorCode);
    const init = known < 0 ? {} : { retryable: known < 3, exceptionType: name as TranscribeExceptionType };
    return { kind: 'error', error: new TranscribeError(code, `${name}: ${typeof text === 'string' && text ? text : 'no message'}`, init) };
  }
  const eventType = header(':event-type');
  if (type === 'event' && eventType === 'TranscriptEvent' && Array.isArray(body?.Transcript?.Results)) {
    return { kind: 'transcript', event: body as TranscriptEvent };
  }
  const what = type === 'event' ? `event ${eventType ?? '(no :event-type)'}` : `:message-type ${type ?? '(missing)'}`;
  return { kind: 'error', error: new TranscribeError('PROTOCOL', `unexpected ${what} from the service`) };
}
