/** What the session router needs from the service (the service implements it). */

import type { AudioBacklog, AudioFramer } from './audio-framer.js';
import type { CredentialCache } from './credentials.js';
import type { ServiceEmitter } from './emitter.js';
import type { TranscribeError } from './errors.js';
import type { Frame } from './frames.js';
import type { AudioClock, LatencyStats } from './metrics.js';
import type { AWSTranscribeSettings, AWSTranscribeSTTServiceOptions, Logger, ServiceRuntime, StreamParameters } from './service-options.js';

export interface ServiceHost {
  readonly options: Readonly<AWSTranscribeSTTServiceOptions>;
  readonly runtime: ServiceRuntime;
  readonly log: Logger;
  readonly emitter: ServiceEmitter;
  readonly ttfs: LatencyStats;
  readonly audioClock: AudioClock;
  readonly counters: { reconnects: number; bufferedSeconds: number; droppedSeconds: number; keepAliveSeconds: number; sentSeconds: number };
  readonly settings: AWSTranscribeSettings;
  readonly params: StreamParameters;
  readonly region: string;
  readonly languageCode: string | undefined;
  readonly wireRate: 8000 | 16000;
  /** Wire bytes per second (rate x 2 bytes x channels). */
  readonly bytesPerSecond: number;
  readonly userId: string;
  readonly credentials: CredentialCache | undefined;
  readonly framer: AudioFramer | undefined;
  readonly backlog: AudioBacklog | undefined;
  now(): number;
  isRunning(): boolean;
  maxStreamMs(): number;
  emitFrame(frame: Frame): void;
  fail(error: TranscribeError): void;
}

