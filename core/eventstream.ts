/**
 * The `application/vnd.amazon.eventstream` codec (the framing of every Transcribe streaming
 * message): message model, encoder, whole-message and streaming decoders. Shaped after
 * smithy-typescript's eventstream-codec, with typed errors, limits and zero-copy decoding.
 */
import { crc32, crc32Uint32BE } from './crc32.js';
import { headersLength, writeHeaders } from './eventstream-headers.js';
import {
  EventStreamError,
  MAX_PAYLOAD_LENGTH,
  MESSAGE_OVERHEAD,
  PRELUDE_WITH_CRC_LENGTH,
  writeUint32BE,
} from './eventstream-model.js';
import type { Message } from './eventstream-model.js';

export {
  EventStreamError,
  MAX_HEADER_NAME_LENGTH,
  MAX_HEADER_VALUE_LENGTH,
  MAX_HEADERS_LENGTH,
  MAX_MESSAGE_LENGTH,
  MAX_PAYLOAD_LENGTH,
} from './eventstream-model.js';
export type { EventStreamErrorCode, HeaderValue, Message } from './eventstream-model.js';
export { decodeMessage, MessageDecoder } from './eventstream-decoder.js';

/**
 * Encode one message. Headers are written in the object's key order. Throws `EventStreamError`
 * ('LENGTH' for a limit, 'HEADER' for a value its type cannot carry; it never truncates a value),
 * or a TypeError when `body` is not a Uint8Array.
 */
export function encodeMessage(msg: Message): Uint8Array {
  const body = msg.body;
  if (!(body instanceof Uint8Array)) {
    throw new TypeError('message body must be a Uint8Array (wrap other views: new Uint8Array(v.buffer, v.byteOffset, v.byteLength))');
  }
  if (body.length > MAX_PAYLOAD_LENGTH) {
    throw new EventStreamError('LENGTH', `payload of ${body.length} bytes is over the ${MAX_PAYLOAD_LENGTH}-byte limit; split it over several messages`);
  }
  const hlen = headersLength(msg.headers);
  const total = MESSAGE_OVERHEAD + hlen + body.length;
  const out = new Uint8Array(total);
  writeUint32BE(out, 0, total);
  writeUint32BE(out, 4, hlen);
  const preludeCrc = crc32Uint32BE(hlen, crc32Uint32BE(total));
  writeUint32BE(out, 8, preludeCrc);
  writeHeaders(msg.headers, out, PRELUDE_WITH_CRC_LENGTH);
  out.set(body, PRELUDE_WITH_CRC_LENGTH + hlen);
  writeUint32BE(out, total - 4, crc32(out.subarray(8, total - 4), preludeCrc));
  return out;
}
