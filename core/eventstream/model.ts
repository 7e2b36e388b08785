/**
 * The `application/vnd.amazon.eventstream` message model: value types, wire constants, limits,
 * the one error class of the codec and the framing shared by every encoder. Per the
 * event-stream spec a message is
 *
 *   total_length u32 BE | headers_length u32 BE | prelude_crc u32 BE | headers | payload | message_crc u32 BE
 *
 * where total_length counts every byte (16 of overhead), prelude_crc covers the first 8 bytes and
 * message_crc everything before it (the prelude CRC included).
 */
import { crc32, crc32Uint32BE } from '../encoding/crc32.js';

/** A header value as decoded, and as `encodeMessage` takes it. */
export type HeaderValue =
  | { type: 'boolean'; value: boolean }
  | { type: 'byte' | 'short' | 'integer'; value: number }
  | { type: 'long'; value: bigint }
  | { type: 'binary'; value: Uint8Array }
  | { type: 'string'; value: string }
  | { type: 'timestamp'; value: Date }
  | { type: 'uuid'; value: string };

/**
 * One event-stream message. Headers keep their wire order (JS objects keep insertion order, except
 * that integer-like names such as "7" come first). A decoded `body` is a view into the bytes it
 * was decoded from, not a copy.
 */
export interface Message {
  headers: Record<string, HeaderValue>;
  body: Uint8Array;
}

export type EventStreamErrorCode =
  /** The prelude CRC does not match: the length fields cannot be trusted, the stream is lost. */
  | 'PRELUDE_CRC'
  /** The message CRC does not match: the message was corrupted in transit. */
  | 'MESSAGE_CRC'
  /**
   * A length is impossible or over a limit (total, headers block, payload, header name or value), or bytes
   * trail a message.
   */
  | 'LENGTH'
  /** The headers block is malformed (runs past its end, unknown type, duplicate name) or a value cannot be encoded. */
  | 'HEADER'
  /** The input ended inside a message. */
  | 'TRUNCATED';

/** Thrown by every encode and decode function of the event-stream codec, and by nothing else. */
export class EventStreamError extends Error {
  override readonly name: string = 'EventStreamError';
  readonly code: EventStreamErrorCode;

  constructor(code: EventStreamErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  override toString(): string {
    return `${this.name} [${this.code}]: ${this.message}`;
  }
}

/** Prelude (total_length, headers_length) plus its CRC: where the headers start. */
export const PRELUDE_LENGTH = 12;
/** Prelude, prelude CRC and message CRC. */
export const MESSAGE_OVERHEAD = 16;

// Limits, per the SDKs that define them (botocore and the Transcribe Python SDK: headers block
// 128 KiB, payload 16 MiB; smithy: header value 32767 bytes; the name length is one byte on the wire).
export const MAX_HEADERS_LENGTH: number = 128 * 1024;
export const MAX_PAYLOAD_LENGTH: number = 16 * 1024 * 1024;
export const MAX_HEADER_NAME_LENGTH = 255;
export const MAX_HEADER_VALUE_LENGTH = 32767;
/** The largest message the codec accepts: what a `MessageDecoder` may hold at most. */
export const MAX_MESSAGE_LENGTH: number = MESSAGE_OVERHEAD + MAX_HEADERS_LENGTH + MAX_PAYLOAD_LENGTH;

/**
 * Check a payload before anything is allocated for it: a TypeError unless it is bytes (an
 * Int16Array would be copied element by element, truncated), `EventStreamError` 'LENGTH' over the limit.
 */
export function checkPayload(payload: Uint8Array, what: string): void {
  if ((payload as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT !== 1) {
    throw new TypeError(
      `${what} must be a Uint8Array (wrap other views: new Uint8Array(v.buffer, v.byteOffset, v.byteLength))`,
    );
  }
  if (payload.length > MAX_PAYLOAD_LENGTH) {
    throw new EventStreamError(
      'LENGTH',
      `${what} of ${payload.length} bytes is over the ${MAX_PAYLOAD_LENGTH}-byte limit; split it (audio: chunks of ` +
        `about 100 ms)`,
    );
  }
}

/** Big-endian u32 at `p` (the prelude and CRC fields). */
export function readUint32BE(b: Uint8Array, p: number): number {
  return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
}

/** Write `v` as big-endian u32 at `p` (any number; only its low 32 bits are kept). */
export function writeUint32BE(out: Uint8Array, p: number, v: number): void {
  for (let k = 3; k >= 0; k--, v >>>= 8) out[p + k] = v;
}

/**
 * Frame the `total`-byte message at `out[o]` whose headers (`headersLength` bytes) and payload are
 * already in place: write the prelude, its CRC and the message CRC, which continues the prelude
 * CRC over the rest (one pass over the payload, no CRC of the first 8 bytes twice).
 */
export function frameMessage(out: Uint8Array, o: number, total: number, headersLength: number): void {
  const preludeCrc = crc32Uint32BE(headersLength, crc32Uint32BE(total));
  writeUint32BE(out, o, total);
  writeUint32BE(out, o + 4, headersLength);
  writeUint32BE(out, o + 8, preludeCrc);
  const end = o + total - 4;
  writeUint32BE(out, end, crc32(out.subarray(o + 8, end), preludeCrc));
}
