/**
 * Event-stream decoding: one whole message (`decodeMessage`) or a byte stream cut anywhere
 * (`MessageDecoder`). Both check, in order, the prelude CRC (as soon as its 12 bytes are there,
 * so a corrupt length is never waited for), the declared lengths against the limits (before any
 * buffer is allocated), the message CRC, then the headers.
 */
import { crc32, crc32Uint32BE } from '../encoding/crc32.js';
import { readHeaders } from './headers-decode.js';
import {
  EventStreamError,
  MAX_HEADERS_LENGTH,
  MAX_PAYLOAD_LENGTH,
  MESSAGE_OVERHEAD,
  PRELUDE_LENGTH,
  readUint32BE,
} from './model.js';
import type { Message } from './model.js';

/** Check the prelude at `b[p, p + 12)`; returns the message's total length. */
function checkPrelude(b: Uint8Array, p: number): number {
  const total = readUint32BE(b, p);
  const headersLength = readUint32BE(b, p + 4);
  if (crc32Uint32BE(headersLength, crc32Uint32BE(total)) !== readUint32BE(b, p + 8)) {
    throw new EventStreamError(
      'PRELUDE_CRC',
      'prelude checksum mismatch: the stream is corrupt or not an event stream',
    );
  }
  const payloadLength = total - MESSAGE_OVERHEAD - headersLength;
  if (payloadLength < 0 || headersLength > MAX_HEADERS_LENGTH || payloadLength > MAX_PAYLOAD_LENGTH) {
    throw new EventStreamError(
      'LENGTH',
      `impossible declared lengths: message ${total}, headers ${headersLength} bytes (limits: headers ` +
        `${MAX_HEADERS_LENGTH}, payload ${MAX_PAYLOAD_LENGTH})`,
    );
  }
  return total;
}

/** Decode the prelude-checked message at `b[p, p + total)`; headers and body are views into `b`. */
function readMessage(b: Uint8Array, p: number, total: number): Message {
  const end = p + total - 4;
  // The prelude CRC is the CRC of the first 8 bytes (checked already), so the running CRC goes on from it.
  if (crc32(b.subarray(p + 8, end), readUint32BE(b, p + 8)) !== readUint32BE(b, end)) {
    throw new EventStreamError('MESSAGE_CRC', 'message checksum mismatch: the message was corrupted in transit');
  }
  const headersEnd = p + PRELUDE_LENGTH + readUint32BE(b, p + 4);
  return { headers: readHeaders(b, p + PRELUDE_LENGTH, headersEnd), body: b.subarray(headersEnd, end) };
}

/**
 * Decode `bytes`, which must hold exactly one whole message. The returned `body` (and any binary
 * header value) is a view into `bytes`, not a copy: copy it before reusing `bytes`.
 */
export function decodeMessage(bytes: Uint8Array): Message {
  const n = bytes.length;
  const total = n < PRELUDE_LENGTH ? MESSAGE_OVERHEAD : checkPrelude(bytes, 0);
  if (n < total) throw new EventStreamError('TRUNCATED', `the message needs ${total} bytes but only ${n} were given`);
  if (n > total) {
    throw new EventStreamError(
      'LENGTH',
      `${n - total} bytes follow the ${total}-byte message; decode streams with MessageDecoder`,
    );
  }
  return readMessage(bytes, 0, total);
}

/**
 * Streaming decoder: push chunks cut anywhere (several messages per chunk, or one message over
 * many chunks) and get back every message they complete.
 *
 * Zero-copy: a message that lies whole inside one pushed chunk is returned as views into that
 * chunk (do not overwrite a chunk after pushing it, or copy the bodies you keep); a message that
 * spans chunks is assembled in a buffer of exactly its declared size, allocated only after its
 * prelude CRC and lengths were checked, so `pending` never exceeds `MAX_MESSAGE_LENGTH`.
 *
 * Any `EventStreamError` is fatal: the framing of what follows cannot be trusted, so the decoder
 * keeps throwing that error (messages completed earlier in the same chunk are dropped) until
 * `reset()`.
 */
export class MessageDecoder {
  /** Where a prelude split across chunks is gathered. */
  #prelude: Uint8Array = new Uint8Array(PRELUDE_LENGTH);
  /** What is being filled from chunks: `#prelude`, then a buffer of the message's declared size. */
  #buffer: Uint8Array = this.#prelude;
  #filled = 0;
  #failed: EventStreamError | null = null;

  /** Bytes held for a message not complete yet. */
  get pending(): number {
    return this.#filled;
  }

  /** Feed the next chunk; returns the messages it completes, in order (often none or one). */
  push(chunk: Uint8Array): Message[] {
    if (this.#failed) throw this.#failed;
    try {
      return this.#push(chunk);
    } catch (err) {
      this.#drop();
      if (err instanceof EventStreamError) this.#failed = err;
      throw err;
    }
  }

  /** The stream has ended: throws `TRUNCATED` if it stopped inside a message. */
  end(): void {
    if (this.#failed) throw this.#failed;
    const pending = this.#filled;
    if (pending > 0) {
      const declared = this.#buffer === this.#prelude ? '' : ` of ${this.#buffer.length}`;
      this.#drop();
      throw (this.#failed = new EventStreamError(
        'TRUNCATED',
        `the stream ended after ${pending}${declared} bytes of a message`,
      ));
    }
  }

  /** Forget any partial message and a past error, to decode a new stream. */
  reset(): void {
    this.#drop();
    this.#failed = null;
  }

  #drop(): void {
    this.#buffer = this.#prelude;
    this.#filled = 0;
  }

  #push(chunk: Uint8Array): Message[] {
    const out: Message[] = [];
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      // Nothing held and a prelude in the chunk: a message that lies whole in it is decoded in place.
      if (this.#filled === 0 && n - i >= PRELUDE_LENGTH) {
        const total = checkPrelude(chunk, i);
        if (n - i >= total) {
          out.push(readMessage(chunk, i, total));
          i += total;
          continue;
        }
        this.#buffer = new Uint8Array(total);
      }
      // Otherwise copy what the chunk has of the prelude or message being gathered.
      const buffer = this.#buffer;
      const take = Math.min(buffer.length - this.#filled, n - i);
      buffer.set(chunk.subarray(i, i + take), this.#filled);
      this.#filled += take;
      i += take;
      if (this.#filled < buffer.length) break;
      if (buffer === this.#prelude) {
        // The prelude is complete: check it, then gather the message in a buffer of its size.
        this.#buffer = new Uint8Array(checkPrelude(buffer, 0));
        this.#buffer.set(buffer);
      } else {
        this.#drop();
        out.push(readMessage(buffer, 0, buffer.length));
      }
    }
    return out;
  }
}
