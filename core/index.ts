// Public surface of the protocol core: every contract of DESIGN.md is exported from here.
export { crc32, crc32Table, setCrc32Implementation } from './crc32.js';
export type { Crc32Function } from './crc32.js';
export { utf8Decode, utf8Encode, utf8Length, utf8Write } from './utf8.js';
export { OptionError, TranscribeError } from './errors.js';
export type { TranscribeErrorCode, TranscribeErrorInit, TranscribeExceptionType } from './errors.js';
export type {
  LanguageWithScore,
  TranscriptAlternative,
  TranscriptEntity,
  TranscriptEvent,
  TranscriptItem,
  TranscriptResult,
} from './transcript.js';
export { decodeMessage, encodeMessage, EventStreamError, MessageDecoder } from './eventstream.js';
export {
  MAX_HEADER_NAME_LENGTH,
  MAX_HEADER_VALUE_LENGTH,
  MAX_HEADERS_LENGTH,
  MAX_MESSAGE_LENGTH,
  MAX_PAYLOAD_LENGTH,
} from './eventstream.js';
export type { EventStreamErrorCode, HeaderValue, Message } from './eventstream.js';
export { AUDIO_EVENT_PAYLOAD_OFFSET, audioEvent, audioEventLength, encodeAudioEventInto, endOfStream } from './audio-event.js';
