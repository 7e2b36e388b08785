/**
 * The `application/vnd.amazon.eventstream` codec (the framing of every Transcribe streaming
 * message): message model, encoder, whole-message and streaming decoders. Shaped after
 * smithy-typescript's eventstream-codec, with typed errors, limits and zero-copy decoding.
 */
import { headersLength, writeHeaders } from './headers.js';
import { checkPayload, frameMessage, MESSAGE_OVERHEAD, PRELUDE_LENGTH } from './model.js';
import type { Message } from './model.js';

export {
  EventStreamError,
  MAX_HEADER_NAME_LENGTH,
  MAX_HEADER_VALUE_LENGTH,
  MAX_HEADERS_LENGTH,
  MAX_MESSAGE_LENGTH,
  MAX_PAYLOAD_LENGTH,
} from './model.js';
export type { EventStreamErrorCode, HeaderValue, Message } from './model.js';
export { decodeMessage, MessageDecoder } from './decoder.js';

/**
 * Encode one message. Headers are written in the object's key order. Throws `EventStreamError`
 * ('LENGTH' for a limit, 'HEADER' for a value its type cannot carry; it never truncates a value),
 * or a TypeError when `body` is not bytes (a Uint8Array, or an Int8Array or Uint8ClampedArray).
 */
export function encodeMessage(msg: Message): Uint8Array {
  const body = msg.body;
  checkPayload(body, 'message body');
  const hlen = headersLength(msg.headers);
  const total = MESSAGE_OVERHEAD + hlen + body.length;
  const out = new Uint8Array(total);
  writeHeaders(msg.headers, out, PRELUDE_LENGTH);
  out.set(body, PRELUDE_LENGTH + hlen);
  frameMessage(out, 0, total, hlen);
  return out;
}
