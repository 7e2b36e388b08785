/**
 * Public types of the emulator: its options, the sessions it records and the recognizer contract.
 * Kept apart from the implementation so every emulator module can share them without cycles.
 */
import type { TranscriptEvent, TranscriptResult } from '../core/transcribe/transcript.js';
import type { FaultSpec, FaultHandle } from './faults.js';

/** Credentials the emulator accepts; generated when not given. */
export interface EmulatorCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** When set, requests must carry this exact `X-Amz-Security-Token` (temporary credentials). */
  sessionToken?: string;
}

/** Details a script entry may add to its utterance. */
export interface ScriptEntryDetails {
  /** Speaker label put on every item when show-speaker-label is on ("0" by default). */
  speaker?: string;
  /** Language reported with identify-language / identify-multiple-languages. */
  languageCode?: string;
  /** Wall-clock delay before each final of this utterance is sent; overrides the emulator's `finalDelayMs`. */
  finalDelayMs?: number;
}

/**
 * One utterance the scripted recognizer "recognises": plain text, text with details, or `finals`:
 * the utterance segmented into several results, each with its own ResultId, partials and final,
 * as AWS segments a long utterance. A segment's final is sent when the speech reaches the next
 * segment's first word; the last one at the end of the utterance (all remaining ones, in order,
 * when the utterance ends early).
 */
export type ScriptEntry =
  | string
  | ({ text: string } & ScriptEntryDetails)
  | ({ finals: readonly string[] } & ScriptEntryDetails);

/** What a script function or a recognizer factory learns about the session it serves. */
export interface SessionInfo {
  /** The `session-id` (the client's, or one the emulator generated, as AWS does). */
  id: string;
  /** Every query parameter of the upgrade except the X-Amz-* authentication ones. */
  query: Readonly<Record<string, string>>;
  /** True on `/medical-stream-transcription-websocket`. */
  medical: boolean;
  sampleRate: number;
  channels: number;
  mediaEncoding: string;
}

/**
 * Turns received audio into results. The emulator calls `push` with every AudioEvent payload in order
 * (16-bit little-endian PCM, channels interleaved, for media-encoding pcm) and sends what it returns,
 * each result as its own TranscriptEvent; `flush` runs at end of stream and must finish every
 * pending utterance.
 */
export interface Recognizer {
  push(audio: Uint8Array): readonly TranscriptResult[];
  flush(): readonly TranscriptResult[];
}

/** Context a recognizer factory gets: the session, its script, and the energy-VAD tuning. */
export interface RecognizerContext extends SessionInfo {
  script: readonly ScriptEntry[];
  vad: Required<VadOptions>;
}

export type RecognizerFactory = (context: RecognizerContext) => Recognizer;

/** Tuning of the default recognizer's energy voice-activity detector (all times in audio ms). */
export interface VadOptions {
  /** Frame RMS at or above this level (dBFS) counts as speech. Default -40. */
  thresholdDbfs?: number;
  /** Analysis frame length. Default 20. */
  frameMs?: number;
  /** Silence that ends an utterance. Default 500. */
  endSilenceMs?: number;
  /** Speech shorter than this is a click, not an utterance (no result). Default 100. */
  minSpeechMs?: number;
  /** Speech it takes to reveal one more scripted word in the partials. Default 250. */
  msPerWord?: number;
}

/**
 * What the emulator keeps of the streams it served, so one emulator can serve a whole test suite
 * (or a soak) without growing. Recordings are kept or released whole, oldest first (ended streams
 * before open ones); a stream whose recording was released records no more of it, and reading it
 * throws an EmulatorError (`AUDIO_RELEASED` / `EVENTS_RELEASED`). Counters (`audioBytes`,
 * `eventCount`, `frames`) are always kept. `Infinity` keeps everything; 0 keeps nothing.
 */
export interface RetainOptions {
  /** Ended streams listed in `emulator.sessions` (the newest; open ones are always listed). Default 1000. */
  sessions?: number;
  /** Bytes of received audio kept across all streams. Default 32 MiB (about 17 min of 16 kHz mono). */
  audioBytes?: number;
  /** Sent events kept across all streams (about 3 KB each). Default 5000 (20 min of one stream's partials). */
  events?: number;
}

export interface EmulatorOptions {
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  credentials?: EmulatorCredentials;
  /** Utterances recognised in order, or a function of the session that returns them. */
  script?: readonly ScriptEntry[] | ((session: SessionInfo) => readonly ScriptEntry[]);
  /** Replace the default scripted energy-VAD recognizer. */
  recognizer?: RecognizerFactory;
  vad?: VadOptions;
  /** No audio for this long ends the stream with AWS's idle BadRequestException. Default 15000. */
  idleTimeoutMs?: number;
  /** Streams (wall clock or audio) longer than this end as AWS ends them. Default 4 h. */
  maxDurationMs?: number;
  /**
   * How far the emulator's clock is ahead of this machine's (negative: behind). Simulates a client
   * whose clock is wrong: X-Amz-Date is checked against `Date.now() + clockSkewMs`, with AWS's
   * 5-minute tolerance. Default 0.
   */
  clockSkewMs?: number;
  /** When set, the credential scope must name this region (AWS: one endpoint per region). */
  region?: string;
  /**
   * Wall-clock processing delay before every final result is sent (after the VAD's
   * `endSilenceMs` of silence ended the utterance), so time-to-final can be measured. Everything
   * sent after a final waits for it, as results keep their order on a stream. Default 0.
   */
  finalDelayMs?: number;
  /** What is kept of past streams (see RetainOptions). */
  retain?: RetainOptions;
}

/**
 * One message the emulator sent on a stream, in order. `at` is when it was produced (Date.now());
 * a `delay` fault or `finalDelayMs` sends it that much later.
 */
export type SentEvent =
  | { type: 'TranscriptEvent'; transcript: TranscriptEvent; at: number }
  | { type: 'exception'; exceptionType: string; message: string; at: number };

/** One accepted WebSocket stream, live while it runs and kept after it ends. */
export interface EmulatorSession {
  /** The session-id (client-sent or generated). */
  readonly id: string;
  /** x-amzn-request-id sent with the 101 response. */
  readonly requestId: string;
  /** The parsed parameters (query minus X-Amz-* authentication). */
  readonly query: Readonly<Record<string, string>>;
  readonly medical: boolean;
  /**
   * Every PCM byte received, concatenated in order. Throws an EmulatorError (`AUDIO_RELEASED`)
   * once `retain.audioBytes` made the emulator release it (see `audioRetained`).
   */
  readonly audio: Uint8Array;
  /** PCM bytes received (counted whether or not the audio is kept). */
  readonly audioBytes: number;
  /** False once the audio was released (or was never kept: `retain.audioBytes: 0`). */
  readonly audioRetained: boolean;
  /** Every message sent, in order. Throws an EmulatorError (`EVENTS_RELEASED`) once released. */
  readonly events: readonly SentEvent[];
  /** Messages sent (counted whether or not the events are kept). */
  readonly eventCount: number;
  /** False once the events were released (or were never kept: `retain.events: 0`). */
  readonly eventsRetained: boolean;
  /** WebSocket close code once closed (1006 when the TCP connection dropped); undefined while open. */
  readonly closeCode: number | undefined;
  /** True once the client sent signed envelopes (`:chunk-signature`). */
  readonly signed: boolean;
  /** WebSocket frames received. */
  readonly frames: number;
  /** Resolves with the close code when the stream is fully closed. */
  readonly closed: Promise<number>;
}

export interface Emulator {
  /** `ws://HOST:PORT`; add the path and a presigned query to connect. */
  readonly endpoint: string;
  readonly host: string;
  readonly port: number;
  readonly credentials: EmulatorCredentials;
  /** Accepted streams, oldest first: every open one, and the newest `retain.sessions` ended ones. */
  readonly sessions: readonly EmulatorSession[];
  /** Resolves with the next stream accepted from now on. */
  nextSession(): Promise<EmulatorSession>;
  /** Injects a fault into the current sessions, or the next ones (see FaultSpec). */
  fault(spec: FaultSpec): FaultHandle;
  /** Removes every pending fault. */
  clearFaults(): void;
  /** Ends every stream (close 1001) and stops listening. */
  close(): Promise<void>;
}
