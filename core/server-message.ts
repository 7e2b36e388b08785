/**
 * What the service sends back, classified: a TranscriptEvent, or an exception turned into a
 * `TranscribeError`. Classification uses only the `:message-type` / `:exception-type` headers
 * (per the Transcribe streaming API), never the message text.
 */

import { TranscribeError } from './errors.js';
import type { TranscribeErrorCode, TranscribeExceptionType } from './errors.js';
import type { Message } from './eventstream.js';
import type { TranscriptEvent } from './transcript.js';
import { validateTranscriptEvent } from './transcript-validate.js';
import { utf8Decode } from './utf8.js';

export type ServerMessage =
  /** Usable results (possibly none); `invalid` says what was wrong with results that were left out. */
  | { kind: 'transcript'; event: TranscriptEvent; invalid?: TranscribeError }
  /** An exception of the API, or an event-stream error message: the stream is over. */
  | { kind: 'error'; error: TranscribeError }
  /** A message that carries nothing usable (unknown type, malformed event): the stream goes on. */
  | { kind: 'invalid'; error: TranscribeError };

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

/**
 * Turn one decoded event-stream message from Transcribe into usable results or a typed error. Never
 * throws, whatever the message holds. `clean` is applied to every text that came from the server
 * before it goes into an error message (the service passes its redaction; default: as given).
 */
export function parseServerMessage(msg: Message, clean: (text: string) => string = (t) => t): ServerMessage {
  const header = (name: string): string | undefined => {
    const h = msg.headers[name];
    return h?.type === 'string' ? h.value : undefined;
  };
  let body: unknown;
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
    const fields = typeof body === 'object' && body !== null ? (body as { Message?: unknown; message?: unknown }) : {};
    const text = isError ? header(':error-message') : typeof fields.Message === 'string' ? fields.Message : fields.message;
    const known = isError ? -1 : EXCEPTIONS.indexOf(name as TranscribeExceptionType);
    const code = known < 0 ? 'PROTOCOL' : (name.slice(0, -9).replace(/\B[A-Z]/g, '_$&').toUpperCase() as TranscribeErrorCode);
    const init = known < 0 ? {} : { retryable: known < 3, exceptionType: name as TranscribeExceptionType };
    const said = typeof text === 'string' && text ? text : 'no message';
    return { kind: 'error', error: new TranscribeError(code, clean(`${name}: ${said}`), init) };
  }
  const eventType = header(':event-type');
  if (type === 'event' && eventType === 'TranscriptEvent') {
    const checked = validateTranscriptEvent(body);
    if (typeof checked === 'string') return { kind: 'invalid', error: malformed(checked) };
    const { event, problem } = checked;
    return problem === undefined ? { kind: 'transcript', event } : { kind: 'transcript', event, invalid: malformed(problem) };
  }
  const what = type === 'event' ? `event ${clean(eventType ?? '(no :event-type)')}` : `:message-type ${clean(type ?? '(missing)')}`;
  return { kind: 'invalid', error: new TranscribeError('PROTOCOL', `unexpected ${what} from the service; it was ignored`, { retryable: true }) };
}

function malformed(what: string): TranscribeError {
  return new TranscribeError('PROTOCOL', `the service sent ${what}; the results it could not read were skipped`, { retryable: true });
}
