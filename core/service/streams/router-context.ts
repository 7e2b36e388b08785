/**
 * What the session router needs of its service, declared here so the router never reads the
 * service's own fields; and what `stop()` resolves with.
 */

import type { ServiceEmitter } from '../emitter.js';
import type { TranscribeError } from '../../errors.js';
import type { AudioClock } from '../metrics.js';
import type { ServiceDefaults } from '../defaults.js';
import type { Logger, ServiceRuntime, StreamParameters } from '../options.js';
import type { TranscriptEvent } from '../../transcribe/transcript.js';

/** How `stop()` ended: complete when every stream ended as asked and the last results arrived. */
export interface StopResult {
  complete: boolean;
  /** Why not, when not (also reported as a fatal error frame). */
  error: TranscribeError | undefined;
}

/** Counters the router keeps up to date (the service's public `counters`). */
export interface RouterCounters {
  reconnects: number;
  bufferedSeconds: number;
  droppedSeconds: number;
  keepAliveSeconds: number;
  sentSeconds: number;
}

/** What the router needs of its service. */
export interface RouterContext {
  readonly options: ServiceDefaults;
  readonly runtime: ServiceRuntime;
  readonly log: Logger;
  readonly counters: RouterCounters;
  readonly emitter: ServiceEmitter;
  readonly clock: AudioClock;
  now(): number;
  /** The current stream parameters (they change with updateSettings). */
  params(): StreamParameters;
  /** Redaction and sanitising of text that came from the server. */
  clean(text: string): string;
  /** Running or stopping. */
  live(): boolean;
  /** The service gave up: state, fatal error frame, end of the iterators. */
  fail(error: TranscribeError): void;
  /** An error frame that does not end the service (`fatal` only for a stop that could not complete). */
  error(error: TranscribeError, fatal: boolean): void;
  /** Frames for one TranscriptEvent of a stream whose audio starts at `offset` seconds. */
  deliver(event: TranscriptEvent, offset: number): void;
}
