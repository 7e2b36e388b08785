/**
 * What the service sends on a stream (protocol.md §4.3): TranscriptEvents
 * (`:message-type` event, `:event-type` TranscriptEvent, `:content-type` application/json) and
 * exceptions (`:message-type` exception, `:exception-type` <name>, JSON `{"Message": …}`).
 */
import { encodeMessage } from '../core/eventstream/index.js';
import type { TranscriptEvent } from '../core/transcribe/transcript.js';
import { utf8Encode } from '../core/encoding/utf8.js';

export function transcriptEventMessage(event: TranscriptEvent): Uint8Array {
  return encodeMessage({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: 'TranscriptEvent' },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: utf8Encode(JSON.stringify(event)),
  });
}

export function exceptionMessage(exceptionType: string, message: string): Uint8Array {
  return encodeMessage({
    headers: {
      ':message-type': { type: 'string', value: 'exception' },
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: utf8Encode(JSON.stringify({ Message: message })),
  });
}
