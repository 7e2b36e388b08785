/**
 * What the service sends back, classified: a TranscriptEvent, or an exception turned into a
 * `TranscribeError`. Classification uses only the `:message-type` / `:exception-type` headers
 * (per the Transcribe streaming API), never the message text.
 */

import { TranscribeError } from '../errors.js';
import type { TranscribeErrorCode, TranscribeExceptionType } from '../errors.js';
import type { Message } from '../eventstream/index.js';
import type { TranscriptEvent } from './transcript.js';
import { validateTranscriptEvent } from './transcript-validate.js';
import { utf8Decode } from '../encoding/utf8.js';

export type ServerMessage =
  /** Usable results (possibly none); `invalid` says what was wrong with results that were left out. */
  | { kind: 'transcript'; event: TranscriptEvent; invalid?: TranscribeError }
  /** An exception of the API, or an event-stream error message: the stream is over. */
  | { kind: 'error'; error: TranscribeError }
  /** A message that carries nothing usable (unknown message type, malformed event): the stream goes on. */
  | { kind: 'invalid'; error: TranscribeError }
  /** A well-formed event of another type than TranscriptEvent: nothing to do with it. */
  | { kind: 'other'; eventType: string };

const MAX_EXCEPTION_BYTES = 8192;
const MAX_EVENT_BYTES = 1 << 20;

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
  const type = header(':message-type');
  const eventType = header(':event-type');
  // Another event (or one whose type header did not survive): AWS adds event types over time.
  if (type === 'event' && eventType !== 'TranscriptEvent') return { kind: 'other', eventType: eventType ?? '' };
  const isError = type === 'error';
  const isException = type === 'exception' || isError;
  // Only so much is worth reading: an exception's text is cut to a few hundred characters anyway,
  // and AWS's TranscriptEvents are kilobytes. Bigger bodies would only block the event loop.
  const size = msg.body.length;
  const limit = isException ? MAX_EXCEPTION_BYTES : MAX_EVENT_BYTES;
  if (!isException && size > limit) {
    return {
      kind: 'invalid',
      error: malformed(`a ${size}-byte message (more than ${limit} bytes is not a TranscriptEvent AWS sends)`),
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(utf8Decode(msg.body, 0, Math.min(size, limit)));
  } catch {
    // not JSON (or cut): no transcript, no exception text
  }
  if (isException) {
    // An exception of the API, or a generic event-stream error (:error-code / :error-message).
    const name = header(isError ? ':error-code' : ':exception-type') ?? (isError ? 'UnknownError' : 'UnknownException');
    const fields = typeof body === 'object' && body !== null ? (body as { Message?: unknown; message?: unknown }) : {};
    const text = isError
      ? header(':error-message')
      : typeof fields.Message === 'string'
        ? fields.Message
        : fields.message;
    const known = isError ? -1 : EXCEPTIONS.indexOf(name as TranscribeExceptionType);
    const code =
      known < 0
        ? 'PROTOCOL'
        : (name
            .slice(0, -9)
            .replace(/\B[A-Z]/g, '_$&')
            .toUpperCase() as TranscribeErrorCode);
    const init = known < 0 ? {} : { retryable: known < 3, exceptionType: name as TranscribeExceptionType };
    const said = typeof text === 'string' && text ? text : size > limit ? utf8Decode(msg.body, 0, limit) : 'no message';
    return { kind: 'error', error: new TranscribeError(code, clean(`${name}: ${said}`), init) };
  }
  if (type === 'event') {
    const checked = validateTranscriptEvent(body);
    if (typeof checked === 'string') return { kind: 'invalid', error: malformed(checked) };
    const { event, problem } = checked;
    return problem === undefined
      ? { kind: 'transcript', event }
      : { kind: 'transcript', event, invalid: malformed(problem) };
  }
  const what = `:message-type ${clean(type ?? '(missing)')}`;
  return {
    kind: 'invalid',
    error: new TranscribeError('PROTOCOL', `unexpected ${what} from the service; it was ignored`, { retryable: true }),
  };
}

function malformed(what: string): TranscribeError {
  return new TranscribeError('PROTOCOL', `the service sent ${what}; the results it could not read were skipped`, {
    retryable: true,
  });
}
