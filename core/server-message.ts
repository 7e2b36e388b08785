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

const EXCEPTIONS: Readonly<Record<TranscribeExceptionType, readonly [TranscribeErrorCode, boolean]>> = {
  BadRequestException: ['BAD_REQUEST', false],
  LimitExceededException: ['LIMIT_EXCEEDED', true],
  InternalFailureException: ['INTERNAL_FAILURE', true],
  ConflictException: ['CONFLICT', false],
  ServiceUnavailableException: ['SERVICE_UNAVAILABLE', true],
  UnrecognizedClientException: ['UNRECOGNIZED_CLIENT', false],
};

function header(msg: Message, name: string): string | undefined {
  const h = msg.headers[name];
  return h && h.type === 'string' ? h.value : undefined;
}

function jsonBody(msg: Message): unknown {
  try {
    return JSON.parse(utf8Decode(msg.body));
  } catch {
    return undefined;
  }
}

/** Turn one decoded event-stream message from Transcribe into a transcript or a typed error. */
export function parseServerMessage(msg: Message): ServerMessage {
  const type = header(msg, ':message-type');
  if (type === 'event') {
    const eventType = header(msg, ':event-type');
    const body = jsonBody(msg) as Partial<TranscriptEvent> | undefined;
    if (eventType === 'TranscriptEvent' && body && body.Transcript && Array.isArray(body.Transcript.Results)) {
      return { kind: 'transcript', event: body as TranscriptEvent };
    }
    return protocolError(`unexpected event ${eventType ?? '(no :event-type)'} from the service`);
  }
  if (type === 'exception') {
    const name = header(msg, ':exception-type') ?? 'UnknownException';
    const body = jsonBody(msg) as { Message?: unknown; message?: unknown } | undefined;
    const text = typeof body?.Message === 'string' ? body.Message : typeof body?.message === 'string' ? body.message : '';
    const known = EXCEPTIONS[name as TranscribeExceptionType];
    if (known) {
      return {
        kind: 'error',
        error: new TranscribeError(known[0], `${name}: ${text || 'no message'}`, {
          retryable: known[1],
          exceptionType: name as TranscribeExceptionType,
        }),
      };
    }
    return { kind: 'error', error: new TranscribeError('PROTOCOL', `${name}: ${text || 'no message'}`) };
  }
  if (type === 'error') {
    // Generic event-stream error (smithy's codec handles these too): :error-code / :error-message.
    const code = header(msg, ':error-code') ?? 'UnknownError';
    return { kind: 'error', error: new TranscribeError('PROTOCOL', `${code}: ${header(msg, ':error-message') ?? ''}`) };
  }
  return protocolError(`unexpected :message-type ${type ?? '(missing)'} from the service`);
}

function protocolError(message: string): ServerMessage {
  return { kind: 'error', error: new TranscribeError('PROTOCOL', message) };
}
