/**
 * `transcribe-stream/emulator`: a local server that speaks Amazon Transcribe's streaming WebSocket
 * protocol (handshake checks, event-stream framing, TranscriptEvents, exceptions, time limits) and
 * injects faults on demand, so clients can be tested offline. Node only.
 */
export { startEmulator } from './server.js';
export { scriptedRecognizer, DEFAULT_VAD } from './recognizer.js';
export { DEFAULT_SCRIPT, generateCredentials } from './options.js';
export { IDLE_TIMEOUT_MESSAGE } from './session.js';
export { STANDARD_PATH, MEDICAL_PATH } from './handshake.js';
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
  ScriptEntry,
  SentEvent,
  SessionInfo,
  VadOptions,
} from './types.js';
export type { FaultHandle, FaultSpec, FaultTarget, FaultTrigger, MidStreamException } from './faults.js';
