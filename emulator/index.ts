/**
 * `transcribe-stream/emulator`: a local server that speaks Amazon Transcribe's streaming WebSocket
 * protocol (handshake checks, event-stream framing, TranscriptEvents, exceptions, time limits) and
 * injects faults on demand, so clients can be tested offline. Node only; the WebSocket server is
 * the optional peer `ws`, loaded when an emulator starts (importing this module never needs it).
 */
export { startEmulator } from './server.js';
export { scriptedRecognizer, DEFAULT_VAD } from './recognizer.js';
export { DEFAULT_SCRIPT, generateCredentials } from './options.js';
export { DEFAULT_RETAIN } from './retention.js';
export { IDLE_TIMEOUT_MESSAGE, STANDARD_PATH, MEDICAL_PATH } from './constants.js';
export { EmulatorError } from './errors.js';
export type { EmulatorErrorCode } from './errors.js';
export { runEmulatorCli } from './cli.js';
export { speechLikePcm } from './test-audio.js';
export type { AudioSegment, SpeechPcmOptions } from './test-audio.js';
export type { CliIo } from './cli.js';
export type {
  Emulator,
  EmulatorCredentials,
  EmulatorOptions,
  EmulatorSession,
  Recognizer,
  RecognizerContext,
  RecognizerFactory,
  RetainOptions,
  ScriptEntry,
  ScriptEntryDetails,
  SentEvent,
  SessionInfo,
  VadOptions,
} from './types.js';
export type { FaultHandle, FaultSpec, FaultTarget, FaultTrigger, MidStreamException } from './faults.js';
