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
export { sha256, hmacSha256, toHex } from './sha256.js';
export { clearSigningKeyCache, presignRequest, presignUrl } from './sigv4.js';
export { DEFAULT_TEXT_LIMIT, REDACTED, redactByName, redactByValue, redactUrl, safeText, sanitizeText, secretsOf } from './redact.js';
export type { Credentials, PresignRequest, PresignedRequest } from './sigv4.js';
export { STREAMING_LANGUAGE_CODES, isStreamingLanguageCode } from './language-codes.js';
export type { StreamingLanguageCode } from './language-codes.js';
export { transcribeUrl } from './transcribe-url.js';
export type { MedicalSpecialty, MedicalType, PiiEntityType, TranscribeMediaEncoding, TranscribeUrlOptions } from './transcribe-url.js';
export { parseServerMessage } from './server-message.js';
export type { ServerMessage } from './server-message.js';
export { Language, languageToAws, resolveLanguage, suggestLanguage } from './language.js';
export { CredentialCache } from './credentials.js';
export type { CredentialProvider } from './credentials.js';
export { webSocketFactory } from './socket.js';
export type {
  HandshakeDiagnosis,
  SocketCloseInfo,
  SocketEvents,
  SocketFactory,
  TranscribeSocket,
  WebSocketConstructorLike,
  WebSocketLike,
} from './socket.js';
export { AWSTranscribeSTTService } from './service.js';
export type { PushAudioOptions, ServiceCounters, ServiceState } from './service.js';
export type { StopResult } from './router-context.js';
export type {
  AudioPipeline,
  AudioPipelineFactory,
  AWSTranscribeSettings,
  AWSTranscribeSTTServiceOptions,
  Logger,
  ServiceRuntime,
  StreamParameters,
} from './service-options.js';
export type {
  ConnectedEvent,
  ConnectionErrorEvent,
  DisconnectedEvent,
  ErrorFrame,
  Frame,
  InterimTranscriptionFrame,
  MetricsEvent,
  ServiceEvents,
  STTMetadataFrame,
  TranscriptionFrame,
  UsageEvent,
} from './frames.js';
