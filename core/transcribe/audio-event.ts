/**
 * The AudioEvent hot path: every ~100 ms of audio becomes one event-stream message with three
 * constant string headers (per the Transcribe streaming docs: `:message-type`=event,
 * `:event-type`=AudioEvent, `:content-type`=application/octet-stream) and the PCM bytes as payload.
 * The headers block is encoded once at load time; per frame only the prelude, the payload copy
 * and one CRC pass over the frame remain. An empty AudioEvent ends the stream.
 */
import { headersLength, writeHeaders } from '../eventstream/headers.js';
import {
  checkPayload,
  frameMessage,
  MAX_PAYLOAD_LENGTH,
  MESSAGE_OVERHEAD,
  PRELUDE_LENGTH,
} from '../eventstream/model.js';
import type { HeaderValue } from '../eventstream/model.js';

const HEADER_BYTES: Uint8Array = /* @__PURE__ */ (() => {
  // The headers of every AudioEvent, in the order they are written.
  const headers: Record<string, HeaderValue> = {
    ':message-type': { type: 'string', value: 'event' },
    ':event-type': { type: 'string', value: 'AudioEvent' },
    ':content-type': { type: 'string', value: 'application/octet-stream' },
  };
  const out = new Uint8Array(headersLength(headers));
  writeHeaders(headers, out, 0);
  return out;
})();
const HEADERS_LENGTH: number = HEADER_BYTES.length;

/** Where the audio starts inside an AudioEvent message (100): write PCM there to skip the copy. */
export const AUDIO_EVENT_PAYLOAD_OFFSET: number = PRELUDE_LENGTH + HEADERS_LENGTH;

/** Size in bytes of the AudioEvent message for `pcmBytes` bytes of audio. */
export function audioEventLength(pcmBytes: number): number {
  return MESSAGE_OVERHEAD + HEADERS_LENGTH + pcmBytes;
}

/**
 * Write the AudioEvent message for `pcm` into `out` at `offset` (for a reusable send buffer);
 * returns the bytes written, `audioEventLength(pcm.length)`. `pcm` may already sit at its
 * payload position inside `out` (`offset + AUDIO_EVENT_PAYLOAD_OFFSET`): the copy is then a no-op.
 */
export function encodeAudioEventInto(pcm: Uint8Array, out: Uint8Array, offset = 0): number {
  checkPayload(pcm, 'audio (16-bit little-endian PCM bytes)');
  const total = audioEventLength(pcm.length);
  if (!(Number.isInteger(offset) && offset >= 0 && offset + total <= out.length)) {
    throw new RangeError(
      `${total} bytes needed at offset ${offset}, the buffer has ${out.length}; size it with audioEventLength()`,
    );
  }
  out.set(HEADER_BYTES, offset + PRELUDE_LENGTH);
  out.set(pcm, offset + AUDIO_EVENT_PAYLOAD_OFFSET);
  frameMessage(out, offset, total, HEADERS_LENGTH);
  return total;
}

/** One AudioEvent message carrying `pcm` (16-bit little-endian PCM at the stream's rate and channel count). */
export function audioEvent(pcm: Uint8Array): Uint8Array {
  // No buffer of an oversized chunk's size: encodeAudioEventInto refuses the chunk first thing.
  const out = new Uint8Array(audioEventLength(pcm.length > MAX_PAYLOAD_LENGTH ? 0 : pcm.length));
  encodeAudioEventInto(pcm, out);
  return out;
}

/** The empty AudioEvent that tells Transcribe the audio has ended (it then sends the last results). */
export function endOfStream(): Uint8Array {
  return audioEvent(new Uint8Array(0));
}
