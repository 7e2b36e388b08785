/**
 * What the session router needs of the service beyond its public fields. The service builds one
 * in its constructor from closures over its #private state; the type is not exported from the
 * package, so none of this is public API.
 */

import type { ServiceEmitter } from './emitter.js';
import type { TranscribeError } from './errors.js';
import type { AudioClock } from './metrics.js';
import type { StreamParameters } from './service-options.js';
import type { Credentials } from './sigv4.js';
import type { TranscriptEvent } from './transcript.js';

/** What the router needs of the service beyond its public fields. */
export interface RouterHost {
  readonly em: ServiceEmitter;
  readonly clock: AudioClock;
  now(): number;
  /** The current stream parameters (they change with updateSettings). */
  params(): StreamParameters;
  /** Running or stopping. */
  live(): boolean;
  /** The service gave up: state, fatal error frame, end of the iterators. */
  fail(error: TranscribeError): void;
  /** A non-fatal error frame. */
  error(error: TranscribeError): void;
  /** Frames for one TranscriptEvent of a stream whose audio starts at `offset` seconds. */
  deliver(event: TranscriptEvent, offset: number): void;
  /** The presigned URL of a stream with the current parameters (throws `OptionError`). */
  url(credentials: Credentials, sessionId: string | undefined): string;
}
