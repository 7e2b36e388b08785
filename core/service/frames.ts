/**
 * What the service hands to the application, shaped like Pipecat's frames:
 * TranscriptionFrame, InterimTranscriptionFrame, ErrorFrame and STTMetadataFrame.
 */

import type { TranscribeError } from '../errors.js';
import type { TranscriptResult } from '../transcribe/transcript.js';

interface TranscriptFrameBase {
  /** The top alternative's transcript. */
  text: string;
  userId: string;
  /** ISO-8601 time the frame was made. */
  timestamp: string;
  /** AWS language code of the result (the identified one with language identification). */
  language: string | undefined;
  /** The whole result as AWS sent it, with times offset to stay monotonic across reconnects. */
  result: TranscriptResult;
}

/** A final result (`IsPartial: false`). */
export interface TranscriptionFrame extends TranscriptFrameBase {
  type: 'transcription';
}

/** A partial result; one that shows nothing new (same text, same stable items) is not repeated. */
export interface InterimTranscriptionFrame extends TranscriptFrameBase {
  type: 'interimTranscription';
}

export interface ErrorFrame {
  type: 'error';
  error: TranscribeError;
  /** True when the service gave up (no reconnect will follow). */
  fatal: boolean;
  timestamp: string;
}

/** Published at start, like Pipecat's STTMetadataFrame. */
export interface STTMetadataFrame {
  type: 'metadata';
  serviceName: 'AWSTranscribeSTTService';
  /** Seconds; the p99 time from end of speech to final transcript used by turn-taking. */
  ttfsP99Latency: number;
  model: string | undefined;
  language: string | undefined;
  sampleRate: number;
  timestamp: string;
}

export type Frame = TranscriptionFrame | InterimTranscriptionFrame | ErrorFrame | STTMetadataFrame;

export interface ConnectedEvent {
  /** 1 for the first stream, then one more for each reconnect or rotation. */
  streamNumber: number;
  /** The session id sent with the stream (yours, or one the service made for a switch); undefined when AWS picks it. */
  sessionId: string | undefined;
  /**
   * AWS's x-amzn-request-id of the stream, where the runtime shows response headers. A WebSocket
   * hides them in every runtime today, so it is undefined; kept for sockets that can tell.
   */
  requestId: string | undefined;
  /**
   * Seconds of audio this stream heard again first: what the stream before it carried and no
   * final had covered when it dropped (see `replaySeconds`); 0 otherwise.
   */
  replayedSeconds: number;
}

export interface DisconnectedEvent {
  code: number;
  reason: string;
  /** True when the service will reconnect by itself. */
  willReconnect: boolean;
}

export interface ConnectionErrorEvent {
  error: TranscribeError;
  /** Attempt number within this incident (1-based); 0 when fatal before any attempt. */
  attempt: number;
  willRetry: boolean;
}

export interface MetricsEvent {
  /**
   * Seconds to the final transcript (TTFS, Pipecat's STT TTFB): from the end of speech the
   * application reported (`userStoppedSpeaking()`) to the last final within `ttfsWindowMs`; without
   * a VAD, from when the audio at the final's end time was pushed.
   */
  ttfs: number;
}

/** Audio sent to Transcribe, which is what it bills (per second, 15 s minimum per stream). */
export interface UsageEvent {
  /** Seconds of audio sent since the last usage event (keep-alive silence included). */
  audioSeconds: number;
  /** Seconds of audio sent in this run so far. */
  totalAudioSeconds: number;
}

/** Event name -> payload. */
export interface ServiceEvents {
  transcription: TranscriptionFrame;
  interimTranscription: InterimTranscriptionFrame;
  error: ErrorFrame;
  metadata: STTMetadataFrame;
  connected: ConnectedEvent;
  disconnected: DisconnectedEvent;
  connectionError: ConnectionErrorEvent;
  metrics: MetricsEvent;
  /** Before each final transcription frame, and once at stop/cancel for the rest (as Pipecat reports usage). */
  usage: UsageEvent;
}
