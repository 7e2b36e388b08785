// Public surface of the protocol core: every contract of DESIGN.md is exported from here.
export { crc32, crc32Table, setCrc32Implementation } from './encoding/crc32.js';
export type { Crc32Function } from './encoding/crc32.js';
export { utf8Decode, utf8Encode, utf8Length, utf8Write } from './encoding/utf8.js';
export { OptionError, TranscribeError } from './errors.js';
export type { TranscribeErrorCode, TranscribeErrorInit, TranscribeExceptionType } from './errors.js';
export type {
  LanguageWithScore,
  TranscriptAlternative,
  TranscriptEntity,
  TranscriptEvent,
  TranscriptItem,
  TranscriptResult,
} from './transcribe/transcript.js';
export { decodeMessage, encodeMessage, EventStreamError, MessageDecoder } from './eventstream/index.js';
export {
  MAX_HEADER_NAME_LENGTH,
  MAX_HEADER_VALUE_LENGTH,
  MAX_HEADERS_LENGTH,
  MAX_MESSAGE_LENGTH,
  MAX_PAYLOAD_LENGTH,
} from './eventstream/index.js';
export type { EventStreamErrorCode, HeaderValue, Message } from './eventstream/index.js';
export {
  AUDIO_EVENT_PAYLOAD_OFFSET,
  audioEvent,
  audioEventLength,
  encodeAudioEventInto,
  endOfStream,
} from './transcribe/audio-event.js';
export { sha256, hmacSha256, toHex } from './sigv4/sha256.js';
export { clearSigningKeyCache, presignRequest, presignUrl } from './sigv4/sigv4.js';
export {
  DEFAULT_TEXT_LIMIT,
  REDACTED,
  redactByName,
  redactByValue,
  redactUrl,
  safeText,
  sanitizeText,
  secretsOf,
} from './sigv4/redact.js';
export type { PresignRequest, PresignedRequest } from './sigv4/sigv4.js';
export type { Credentials } from './sigv4/credentials.js';
export { STREAMING_LANGUAGE_CODES, isStreamingLanguageCode } from './transcribe/language-codes.js';
export type { StreamingLanguageCode } from './transcribe/language-codes.js';
export { transcribeUrl } from './transcribe/url.js';
export type {
  MedicalSpecialty,
  MedicalType,
  PiiEntityType,
  TranscribeMediaEncoding,
  TranscribeUrlOptions,
} from './transcribe/url.js';
export { parseServerMessage } from './transcribe/server-message.js';
export type { ServerMessage } from './transcribe/server-message.js';
export { Language, languageToAws, resolveLanguage, suggestLanguage } from './service/language.js';
// The measure behind the suggestions ("did you mean …"), for tools that suggest names of their own.
export { editDistance } from './service/edit-distance.js';
export { CredentialCache } from './service/credentials.js';
export type { CredentialProvider } from './service/credentials.js';
export { webSocketFactory } from './service/streams/socket.js';
export type {
  HandshakeDiagnosis,
  SocketCloseInfo,
  SocketEvents,
  SocketFactory,
  TranscribeSocket,
  WebSocketConstructorLike,
  WebSocketLike,
} from './service/streams/socket.js';
export { AWSTranscribeSTTService } from './service/aws-service.js';
export { PresignedTranscribeSTTService } from './service/presigned-service.js';
export type { PresignedServiceOptions } from './service/presigned-service.js';
export type { UrlParameters, UrlProvider, UrlReason, UrlRequest } from './service/url-request.js';
export { Pacer } from './service/pacer.js';
export type { PacerOptions } from './service/pacer.js';
export type { ServiceState } from './service/service.js';
export type { PushAudioOptions } from './service/audio/push-arguments.js';
export type { ServiceCounters } from './service/streams/router-context.js';
export type { StopResult } from './service/streams/router-context.js';
export type {
  AudioPipeline,
  AudioPipelineFactory,
  AWSTranscribeSettings,
  AWSTranscribeSTTServiceOptions,
  Logger,
  ServiceRuntime,
  StreamParameters,
} from './service/options.js';
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
} from './service/frames.js';
