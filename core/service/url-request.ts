/**
 * The `url` option: the service asks your code for each stream's presigned URL instead of signing
 * it with credentials it holds. A backend signs (with `transcribeUrl`, its own credentials and a
 * short expiry); the page, app or device only connects, and never holds an AWS key.
 */

import type { TranscribeUrlOptions } from '../transcribe/url.js';

/** Why the service needs a new stream, and so a new URL. */
export type UrlReason =
  /** The first stream of a `start()`. */
  | 'connect'
  /** The stream failed or was dropped (or never opened). */
  | 'reconnect'
  /** The stream neared AWS's 4-hour limit (`maxStreamDurationMs`): a new one takes over at a pause. */
  | 'rotation'
  /** `updateSettings()` changed a parameter: a new stream with the new ones takes over. */
  | 'settings';

/**
 * Everything a URL for this stream must carry, as `transcribeUrl` options (JSON-safe): a backend
 * signs exactly these, choosing `region` (or `endpoint`), `credentials` and `expiresIn` itself.
 */
export type UrlParameters = Omit<
  TranscribeUrlOptions,
  'region' | 'credentials' | 'date' | 'expiresIn' | 'endpoint' | 'fips' | 'dualStack'
>;

/** What the service tells the `url` provider each time it needs a URL. */
export interface UrlRequest {
  /** 1 for the first URL of a `start()`, then 2, 3, … (a second request after an expired URL counts too). */
  attempt: number;
  reason: UrlReason;
  /** The session id the stream will use (also in `parameters`), or undefined: Transcribe makes one up. */
  sessionId: string | undefined;
  /** What to sign: language, sample rate, media encoding and every other StartStreamTranscription parameter. */
  parameters: UrlParameters;
  /**
   * The same as the query parameters the URL must carry (wire name -> value): the service checks
   * the URL it gets against these, and refuses it (URL_MISMATCH) when one differs, is missing, or
   * an extra one (other than `X-Amz-*`) was added.
   */
  query: Readonly<Record<string, string>>;
}

/**
 * Returns a presigned `wss://` (or `ws://`, for an emulator) URL for `request`, signed moments ago:
 * the service refuses an expired one (and asks once more), so never cache URLs. A throw or a
 * rejection is retried with backoff, unless it is a `TranscribeError` whose `retryable` is false.
 */
export type UrlProvider = (request: UrlRequest) => string | Promise<string>;
