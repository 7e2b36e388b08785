/**
 * What a client may send on a stream, as the service reads it (protocol.md §4.3, §5.4):
 * - a plain AudioEvent (`:message-type` event, `:event-type` AudioEvent) with PCM as payload;
 * - the SDK's signed envelope (`:date` timestamp + `:chunk-signature` bytes) whose payload is a
 *   whole encoded AudioEvent;
 * - end of stream: an AudioEvent with an empty payload, an envelope with an empty payload, or a
 *   message with neither headers nor payload (the C++ SDK). A zero-length WebSocket frame is
 *   handled by the session before decoding.
 */
import { decodeMessage, EventStreamError } from '../core/eventstream/index.js';
import type { HeaderValue, Message } from '../core/eventstream/index.js';
import type { ChunkSignatureChain } from './chunk-signature.js';

export type ClientFrame =
  | { kind: 'audio'; pcm: Uint8Array; signed: boolean }
  | { kind: 'end'; signed: boolean }
  | { kind: 'bad'; message: string };

function stringHeader(headers: Record<string, HeaderValue>, name: string): string | undefined {
  const h = headers[name];
  return h !== undefined && h.type === 'string' ? h.value : undefined;
}

function plain(msg: Message, signed: boolean): ClientFrame {
  const names = Object.keys(msg.headers);
  if (names.length === 0) {
    return msg.body.length === 0
      ? { kind: 'end', signed }
      : {
          kind: 'bad',
          message:
            'An event-stream message without headers must be empty (end of stream); send audio as an AudioEvent.',
        };
  }
  const messageType = stringHeader(msg.headers, ':message-type');
  const eventType = stringHeader(msg.headers, ':event-type');
  if (messageType !== 'event' || eventType !== 'AudioEvent') {
    return {
      kind: 'bad',
      message:
        `The event-stream message must be an AudioEvent (:message-type "event", :event-type "AudioEvent"), ` +
        `got :message-type ${JSON.stringify(messageType ?? null)} and :event-type ` +
        `${JSON.stringify(eventType ?? null)}.`,
    };
  }
  const contentType = stringHeader(msg.headers, ':content-type');
  if (contentType !== undefined && contentType !== 'application/octet-stream') {
    return {
      kind: 'bad',
      message: `An AudioEvent must have :content-type "application/octet-stream", got ${JSON.stringify(contentType)}.`,
    };
  }
  return msg.body.length === 0 ? { kind: 'end', signed } : { kind: 'audio', pcm: msg.body, signed };
}

/**
 * Reads one decoded message. `chain` verifies signed envelopes; pass null to accept them unchecked.
 */
export function readClientMessage(msg: Message, chain: ChunkSignatureChain | null): ClientFrame {
  const date = msg.headers[':date'];
  const signature = msg.headers[':chunk-signature'];
  if (date === undefined && signature === undefined) return plain(msg, false);
  if (date === undefined || date.type !== 'timestamp' || signature === undefined || signature.type !== 'binary') {
    return {
      kind: 'bad',
      message: 'A signed event needs both a :date (timestamp) and a :chunk-signature (bytes) header.',
    };
  }
  if (chain !== null && !chain.verify(date.value, signature.value, msg.body)) {
    return {
      kind: 'bad',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access ' +
        'Key and signing method. Consult the service documentation for details.',
    };
  }
  if (msg.body.length === 0) return { kind: 'end', signed: true };
  let inner: Message;
  try {
    inner = decodeMessage(msg.body);
  } catch (err) {
    if (err instanceof EventStreamError)
      return { kind: 'bad', message: `The signed event does not hold a valid event-stream message: ${err.message}` };
    throw err;
  }
  return plain(inner, true);
}
