/**
 * What the session router needs of its service, declared here so the router never reads the
 * service's own fields; and what `stop()` resolves with.
 */

import type { ServiceEmitter } from '../emitter.js';
import type { TranscribeError } from '../../errors.js';
import type { AudioClock } from '../metrics.js';
import type { ServiceDefaults } from '../defaults.js';
import type { Logger, ServiceRuntime, StreamParameters } from '../options.js';
import type { TranscriptEvent, TranscriptResult } from '../../transcribe/transcript.js';

/** How `stop()` ended: complete when every stream ended as asked and the last results arrived. */
export interface StopResult {
  complete: boolean;
  /** Why not, when not (also reported as a fatal error frame). */
  error: TranscribeError | undefined;
}

/** The service's public `counters`, which the router keeps up to date. */
export interface ServiceCounters {
  /** Streams opened after the first one: reconnects, settings changes and rotations. */
  reconnects: number;
  /** Seconds of audio held in the backlog while no stream was open. */
  bufferedSeconds: number;
  /** Seconds of audio dropped because the backlog was full or the service had failed. */
  droppedSeconds: number;
  /** Seconds of silence sent by keep-alive. */
  keepAliveSeconds: number;
  /** Seconds of audio sent to the service in all. */
  sentSeconds: number;
}

export function zeroCounters(): ServiceCounters {
  return { reconnects: 0, bufferedSeconds: 0, droppedSeconds: 0, keepAliveSeconds: 0, sentSeconds: 0 };
}

/** What the router needs of its service. */
export interface RouterContext {
  readonly options: ServiceDefaults;
  readonly runtime: ServiceRuntime;
  readonly log: Logger;
  readonly counters: ServiceCounters;
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
  /**
   * Frames for one TranscriptEvent of a stream whose audio starts at `offset` seconds; returns its
   * results, their times now on the service's timeline.
   */
  deliver(event: TranscriptEvent, offset: number): readonly TranscriptResult[];
}
