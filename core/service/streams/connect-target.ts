/**
 * "Where to connect": the one step between the router deciding it needs a stream and the socket.
 * Two implementations: signed-target.ts (credentials the service holds, SigV4 in-process) and
 * provided-target.ts (a URL from the application's `url` provider, no signing code at all). The
 * service picks one when it is built, so a bundle that only uses the second never imports the first.
 */

import type { AWSTranscribeSTTServiceOptions, ServiceRuntime, StreamParameters } from '../options.js';
import type { Timer } from '../timer.js';
import type { UrlReason } from '../url-request.js';

/** Why a stream is opened: the URL provider's reasons, and credentials about to expire (signed only). */
export type ConnectReason = UrlReason | 'credentials';

export interface ConnectRequest {
  reason: ConnectReason;
  /** The session id the stream will use (undefined: the server picks one). */
  sessionId: string | undefined;
}

/** A stream's URL, and its host for messages (never the URL itself: it carries a signature). */
export interface StreamTarget {
  url: string;
  where: string;
}

/** One run's way to a URL (built by `start()`, so each run starts afresh). */
export interface ConnectTarget {
  /**
   * The URL of a new stream, waiting at most `ms` (on `timer`) for what it depends on. Rejects
   * with a `TranscribeError`: retryable ones are retried with backoff, the others end the service.
   */
  resolve(request: ConnectRequest, ms: number, timer: Timer): Promise<StreamTarget>;
  /** Milliseconds until the stream should move to a new URL for its credentials' sake; Infinity: never. */
  msUntilRefresh(): number;
}

/** What a target source reads of its service. */
export interface TargetHost {
  readonly options: AWSTranscribeSTTServiceOptions;
  readonly runtime: ServiceRuntime;
  /** The rate on the wire (known once `start()` ran). */
  wireRate(): 8000 | 16000;
  /** The current stream parameters and language code (they change with updateSettings). */
  params(): StreamParameters;
  language(): string | undefined;
  now(): number;
  /** Remembers a secret, to be scrubbed from any text the server sends back. */
  secret(value: string | undefined): void;
  /** Text from outside (a provider's message, the server's), fit for a message: secrets scrubbed, controls gone. */
  clean(text: string): string;
  log: { warn?(message: string): void };
}

/** A service's way to connect, chosen when it is built. */
export interface TargetSource {
  /** The signing region ('' when a URL provider decides). */
  readonly region: string;
  /** Throws `OptionError` for stream parameters no URL could carry (start(), updateSettings()). */
  check(params: StreamParameters, lang: string | undefined): void;
  /** A run's target (start()); throws `OptionError` when the service cannot connect at all (no credentials). */
  start(): ConnectTarget;
}

export type TargetSourceFactory = (host: TargetHost) => TargetSource;
