/**
 * The options of `AWSTranscribeSTTService` (Pipecat's parameters in camelCase) and how they
 * resolve: explicit values, then the environment the adapter exposes, then defaults.
 */

import type { CredentialProvider } from './credentials.js';
import { OptionError } from '../errors.js';
import type { Language } from './language.js';
import { resolveLanguage } from './language.js';
import { describeValue } from '../sigv4/redact.js';
import type { Credentials } from '../sigv4/credentials.js';
import type { SocketFactory } from './streams/socket.js';
import type { TranscribeUrlOptions } from '../transcribe/url.js';
import type { UrlProvider } from './url-request.js';

/** Settings that can change mid-conversation (Pipecat's `Settings`). */
export interface AWSTranscribeSettings {
  /** Informational model name, reported in metadata (AWS streaming has no model switch; see `languageModelName`). */
  model?: string;
  /** A `Language` value or a raw AWS streaming code such as `'en-GB'`. */
  language?: Language | string;
}

/** The StartStreamTranscription parameters the service passes through to the presigned URL. */
export type StreamParameters = Omit<
  TranscribeUrlOptions,
  'region' | 'credentials' | 'languageCode' | 'sampleRate' | 'mediaEncoding' | 'date' | 'expiresIn'
>;

export interface Logger {
  debug?(message: string): void;
  info?(message: string): void;
  warn?(message: string): void;
  error?(message: string): void;
}

export interface AWSTranscribeSTTServiceOptions extends StreamParameters {
  /** Secret access key (Pipecat's `api_key`); falls back to AWS_SECRET_ACCESS_KEY. */
  apiKey?: string;
  /** Falls back to AWS_ACCESS_KEY_ID. */
  awsAccessKeyId?: string;
  /** Falls back to AWS_SESSION_TOKEN (only when the key came from the environment too). */
  awsSessionToken?: string;
  /** Falls back to AWS_REGION, then AWS_DEFAULT_REGION, then us-east-1. */
  region?: string;
  /** Credentials, or an async provider (asked again before `expiration`); wins over the keys above. */
  credentials?: Credentials | CredentialProvider;
  /**
   * Instead of credentials: a provider of presigned URLs (your backend signs, e.g. with
   * `presignedUrlHandler`), asked for every connect, reconnect, rotation and settings switch. Not
   * with the key and credential options, nor region, endpoint, fips or dualStack (the backend picks).
   */
  url?: UrlProvider;
  /** Wire rate: 8000 or 16000. Unset: the rate given to `start()`; anything else connects at 16000 with a warning. */
  sampleRate?: number;
  /** @deprecated Use `settings.language`. Still works, with one warning. */
  language?: Language | string;
  settings?: AWSTranscribeSettings;
  /** Seconds; Pipecat's measured AWS p99 time to final segment (default 1.90). */
  ttfsP99Latency?: number;
  /**
   * After `userStoppedSpeaking()`, how long finals are awaited for the TTFS measurement (default 2000 ms,
   * Pipecat's stt_ttfb_timeout).
   */
  ttfsWindowMs?: number;
  /** Audio frame duration on the wire, 50..200 ms (default 100). */
  frameMs?: number;
  /** How long `stop()` waits for the last finals (default 5000 ms, plus the time to send audio still queued). */
  stopTimeoutMs?: number;
  logger?: Logger;
  /** Reconnect on drops and retryable errors (default true). */
  reconnectOnError?: boolean;
  /** Attempts in a row without a stream opening before giving up (default 3). */
  maxReconnectAttempts?: number;
  /** Seconds of audio kept while disconnected (default 15); beyond it the oldest is dropped. */
  bufferSeconds?: number;
  /**
   * Seconds of sent audio kept to be heard again after a stream drops (default 10; 0 turns it off):
   * what no final covered yet goes first on the stream that takes over, so an utterance under way
   * is not lost. Costs replaySeconds x the wire's bytes per second of memory (32 KB at 16 kHz mono,
   * 64 KB in stereo with channel identification, 16 KB at 8 kHz).
   */
  replaySeconds?: number;
  /** Send silence after this long without audio (default 10000 ms; 0 turns keep-alive off). */
  keepAliveMs?: number;
  /** Rotate to a new stream before this duration (default 4 h, AWS's limit, less a minute). */
  maxStreamDurationMs?: number;
  /** The service's no-audio limit (AWS: 15000 ms); change it only for an emulator configured otherwise. */
  idleTimeoutMs?: number;
  /**
   * From creating a socket to its open, handshake included (default 10000 ms); past it the socket
   * is closed and the attempt fails with the retryable `CONNECT_TIMEOUT`. At most 300000: the
   * presigned URL dies after 5 minutes anyway.
   */
  connectTimeoutMs?: number;
  /**
   * How long a credentials provider, or the `url` provider, may take to answer (default 10000 ms);
   * past it `CREDENTIALS_TIMEOUT` (`URL_TIMEOUT`), retryable.
   */
  credentialsTimeoutMs?: number;
}

/** What an adapter injects: the runtime's socket, environment and helpers. */
export interface ServiceRuntime {
  socketFactory: SocketFactory;
  /** Reads an environment variable (undefined where the runtime has none, e.g. browsers). */
  env?: (name: string) => string | undefined;
  /** The runtime's default credential chain, used when no keys are given anywhere. */
  defaultCredentials?: CredentialProvider;
  /** Turns any input audio into 16-bit LE mono bytes at the wire rate (the dsp module). */
  createAudioPipeline?: AudioPipelineFactory;
  now?: () => number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  random?: () => number;
  randomUUID?: () => string;
}

export interface AudioPipeline {
  /** Wire PCM for `input`: a view valid until the next call. */
  process(input: Float32Array | Int16Array): Uint8Array;
  /** The samples held back for filtering, at the end of the stream. */
  flush(): Uint8Array;
}

export type AudioPipelineFactory = (o: { from: number; to: 8000 | 16000; channels: 1 | 2 }) => AudioPipeline;

export const DEFAULT_TTFS_P99 = 1.9;
export const DEFAULT_REGION = 'us-east-1';
export const MAX_STREAM_MS: number = 4 * 3600_000;

/** Region per Pipecat: explicit, AWS_REGION, AWS_DEFAULT_REGION, us-east-1. */
export function resolveRegion(o: AWSTranscribeSTTServiceOptions, env: ServiceRuntime['env']): string {
  return o.region || env?.('AWS_REGION') || env?.('AWS_DEFAULT_REGION') || DEFAULT_REGION;
}

/**
 * The credential provider, per Pipecat: `credentials`, else the keys (each explicit or from the
 * environment), else the runtime's default chain. A token from the environment is only paired
 * with a key from the environment, never with an explicit key of another identity.
 */
export function resolveCredentials(o: AWSTranscribeSTTServiceOptions, rt: ServiceRuntime): CredentialProvider {
  const given = o.credentials;
  if (typeof given === 'function') return given;
  if (given) return () => given;
  const env = rt.env;
  const explicit = o.awsAccessKeyId !== undefined || o.apiKey !== undefined;
  const accessKeyId = o.awsAccessKeyId ?? env?.('AWS_ACCESS_KEY_ID');
  const secretAccessKey = o.apiKey ?? env?.('AWS_SECRET_ACCESS_KEY');
  const sessionToken = o.awsSessionToken ?? (explicit ? undefined : env?.('AWS_SESSION_TOKEN'));
  if (accessKeyId && secretAccessKey) {
    const c: Credentials = { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
    return () => c;
  }
  if (accessKeyId || secretAccessKey) {
    const missing = accessKeyId ? 'apiKey (or AWS_SECRET_ACCESS_KEY)' : 'awsAccessKeyId (or AWS_ACCESS_KEY_ID)';
    throw new OptionError('credentials', `an access key needs its pair: ${missing} is missing`);
  }
  if (rt.defaultCredentials) return rt.defaultCredentials;
  throw new OptionError(
    'credentials',
    'no AWS credentials: pass apiKey and awsAccessKeyId, a credentials provider, or set AWS_ACCESS_KEY_ID and ' +
      'AWS_SECRET_ACCESS_KEY',
  );
}

/** AWS code of the conversation language: settings win over the deprecated argument; default en-US. */
export function resolveLanguageCode(o: AWSTranscribeSTTServiceOptions, settings: AWSTranscribeSettings): string {
  if (settings.language !== undefined) return resolveLanguage(settings.language, 'settings.language');
  if (o.language !== undefined) return resolveLanguage(o.language, 'language');
  return 'en-US';
}

/** [option, min, max, integer] for every numeric service option. */
const RANGES: [keyof AWSTranscribeSTTServiceOptions, number, number, boolean?][] = [
  ['frameMs', 50, 200],
  ['stopTimeoutMs', 0, 600_000],
  ['connectTimeoutMs', 100, 300_000],
  ['credentialsTimeoutMs', 100, 300_000],
  ['maxReconnectAttempts', 0, 100],
  ['bufferSeconds', 0, 600, false],
  ['replaySeconds', 0, 60, false],
  ['keepAliveMs', 0, 14_000],
  ['idleTimeoutMs', 100, 3_600_000],
  ['maxStreamDurationMs', 1_000, MAX_STREAM_MS],
  ['ttfsP99Latency', 0, 60, false],
  ['ttfsWindowMs', 0, 60_000],
  ['sampleRate', 8000, 192_000],
];

/**
 * The service-level options (the numeric ones above and these); everything else among the
 * options is a StartStreamTranscription parameter passed through to the presigned URL.
 */
const SERVICE_ONLY: readonly string[] = [
  'apiKey',
  'awsAccessKeyId',
  'awsSessionToken',
  'region',
  'credentials',
  'url',
  'language',
  'settings',
  'logger',
  'reconnectOnError',
  ...RANGES.map((r) => r[0]),
];

/** The StartStreamTranscription parameters among the options. */
export function streamParameters(o: AWSTranscribeSTTServiceOptions): StreamParameters {
  const params: Record<string, unknown> = { ...o };
  for (const k of SERVICE_ONLY) delete params[k];
  return params;
}

export function validateServiceOptions(o: AWSTranscribeSTTServiceOptions): void {
  for (const [name, min, max, integer = true] of RANGES) {
    const v = o[name];
    if (v !== undefined && (typeof v !== 'number' || !(v >= min && v <= max) || (integer && !Number.isInteger(v)))) {
      throw new OptionError(
        name,
        `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${describeValue(v)}`,
      );
    }
  }
}
