/**
 * Event-stream decoding: one whole message (`decodeMessage`) or a byte stream cut anywhere
 * (`MessageDecoder`). Both check, in order, the prelude CRC (as soon as its 12 bytes are there,
 * so a corrupt length is never waited for), the declared lengths against the limits (before any
 * buffer is allocated), the message CRC, then the headers.
 */
import { crc32, crc32Uint32BE } from './crc32.js';
import { readHeaders } from './eventstream-headers.js';
import {
  EventStreamError,
  MAX_HEADERS_LENGTH,
  MAX_PAYLOAD_LENGTH,
  MESSAGE_OVERHEAD,
  PRELUDE_WITH_CRC_LENGTH,
  readUint32BE,
} from './eventstream-model.js';
import type { Message } from './eventstream-model.js';

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** Check the prelude at `b[p, p + 12)`; returns the message's total length. */
function checkPrelude(b: Uint8Array, p: number): number {
  const total = readUint32BE(b, p);
  const headersLength = readUint32BE(b, p + 4);
  const expected = readUint32BE(b, p + 8);
  const actual = crc32Uint32BE(headersLength, crc32Uint32BE(total));
  if (actual !== expected) {
    throw new EventStreamError('PRELUDE_CRC', `prelude checksum mismatch (message says ${hex(expected)}, bytes give ${hex(actual)}): the stream is corrupt or not an event stream`);
  }
  if (total < MESSAGE_OVERHEAD) {
    throw new EventStreamError('LENGTH', `declared message length ${total} is below the ${MESSAGE_OVERHEAD}-byte minimum`);
  }
  if (headersLength > MAX_HEADERS_LENGTH) {
    throw new EventStreamError('LENGTH', `declared headers length ${headersLength} is over the ${MAX_HEADERS_LENGTH}-byte limit`);
  }
  if (headersLength > total - MESSAGE_OVERHEAD) {
    throw new EventStreamError('LENGTH', `declared headers length ${headersLength} does not fit in a ${total}-byte message`);
  }
  if (total - MESSAGE_OVERHEAD - headersLength > MAX_PAYLOAD_LENGTH) {
    throw new EventStreamError('LENGTH', `declared payload length ${total - MESSAGE_OVERHEAD - headersLength} is over the ${MAX_PAYLOAD_LENGTH}-byte limit`);
  }
  return total;
}

/** Decode the prelude-checked message at `b[p, p + total)`; headers and body are views into `b`. */
function readMessage(b: Uint8Array, p: number, total: number): Message {
  const end = p + total - 4;
  const preludeCrc = readUint32BE(b, p + 8);
  const expected = readUint32BE(b, end);
  // The prelude CRC is the CRC of the first 8 bytes (checked already), so the running CRC goes on from it.
  const actual = crc32(b.subarray(p + 8, end), preludeCrc);
  if (actual !== expected) {
    throw new EventStreamError('MESSAGE_CRC', `message checksum mismatch (message says ${hex(expected)}, bytes give ${hex(actual)}): the message was corrupted in transit`);
  }
  const headersEnd = p + PRELUDE_WITH_CRC_LENGTH + readUint32BE(b, p + 4);
  return { headers: readHeaders(b, p + PRELUDE_WITH_CRC_LENGTH, headersEnd), body: b.subarray(headersEnd, end) };
}

/**
 * Decode `bytes`, which must hold exactly one whole message. The returned `body` (and any binary
 * header value) is a view into `bytes`, not a copy: copy it before reusing `bytes`.
 */
export function decodeMessage(bytes: Uint8Array): Message {
  if (bytes.length < PRELUDE_WITH_CRC_LENGTH) {
    throw new EventStreamError('TRUNCATED', `${bytes.length} bytes cannot hold a message (at least ${MESSAGE_OVERHEAD})`);
  }
  const total = checkPrelude(bytes, 0);
  if (bytes.length < total) {
    throw new EventStreamError('TRUNCATED', `the message declares ${total} bytes but only ${bytes.length} were given`);
  }
  if (bytes.length > total) {
    throw new EventStreamError('LENGTH', `${bytes.length - total} bytes follow the ${total}-byte message; use MessageDecoder for a stream of messages`);
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
  /** The first bytes of a prelude split across chunks. */
  #head: Uint8Array = new Uint8Array(PRELUDE_WITH_CRC_LENGTH);
  #headLength = 0;
  /** The message being assembled from several chunks, and how much of it is there. */
  #partial: Uint8Array | null = null;
  #filled = 0;
  #failed: EventStreamError | null = null;

  /** Bytes held for a message not complete yet. */
  get pending(): number {
    return this.#partial === null ? this.#headLength : this.#filled;
  }

  /** Feed the next chunk; returns the messages it completes, in order (often none or one). */
  push(chunk: Uint8Array): Message[] {
    if (this.#failed !== null) throw this.#failed;
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
    if (this.#failed !== null) throw this.#failed;
    const pending = this.pending;
    if (pending > 0) {
      const declared = this.#partial === null ? '' : ` of ${this.#partial.length}`;
      this.#drop();
      this.#failed = new EventStreamError('TRUNCATED', `the stream ended after ${pending}${declared} bytes of a message`);
      throw this.#failed;
    }
  }

  /** Forget any partial message and a past error, to decode a new stream. */
  reset(): void {
    this.#drop();
    this.#failed = null;
  }

  #drop(): void {
    this.#partial = null;
    this.#filled = 0;
    this.#headLength = 0;
  }

  #push(chunk: Uint8Array): Message[] {
    const out: Message[] = [];
    const n = chunk.length;
    let i = 0;
    // 1. Finish what earlier chunks began: first the prelude, then the rest of the message.
    if (this.#headLength > 0) {
      const take = Math.min(PRELUDE_WITH_CRC_LENGTH - this.#headLength, n);
      this.#head.set(chunk.subarray(0, take), this.#headLength);
      this.#headLength += take;
      i = take;
      if (this.#headLength < PRELUDE_WITH_CRC_LENGTH) return out;
      const partial = new Uint8Array(checkPrelude(this.#head, 0));
      partial.set(this.#head);
      this.#partial = partial;
      this.#filled = PRELUDE_WITH_CRC_LENGTH;
      this.#headLength = 0;
    }
    const partial = this.#partial;
    if (partial !== null) {
      const take = Math.min(partial.length - this.#filled, n - i);
      partial.set(chunk.subarray(i, i + take), this.#filled);
      this.#filled += take;
      i += take;
      if (this.#filled < partial.length) return out;
      this.#partial = null;
      this.#filled = 0;
      out.push(readMessage(partial, 0, partial.length));
    }
    // 2. Messages that lie whole in this chunk are decoded in place; a started one is copied out.
    while (n - i >= PRELUDE_WITH_CRC_LENGTH) {
      const total = checkPrelude(chunk, i);
      if (n - i < total) {
        const rest = new Uint8Array(total);
        rest.set(chunk.subarray(i));
        this.#partial = rest;
        this.#filled = n - i;
        return out;
      }
      out.push(readMessage(chunk, i, total));
      i += total;
    }
    // 3. Less than a prelude left: keep it for the next chunk.
    if (i < n) {
      this.#head.set(chunk.subarray(i), 0);
      this.#headLength = n - i;
    }
    return out;
  }
}
