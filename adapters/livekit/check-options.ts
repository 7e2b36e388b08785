/**
 * The options checked when they are given (the STT's constructor, `updateOptions`) rather than
 * when a stream starts: a value Transcribe would refuse throws the OptionError the service's
 * start() would reject with, before it is stored, so it never reaches the streams to come.
 *
 * The service checks its stream parameters only in start() and updateSettings(), by signing them
 * once with a throwaway key (core's checkStreamParameters, which the package does not export).
 * This does the same with the package's `transcribeUrl`, over the parameters the service would
 * sign: its options less its own (SERVICE_ONLY), under Pipecat's defaults, with the language and
 * wire rate it would use. Nothing is sent.
 */

import { AWSTranscribeSTTService, resolveLanguage, transcribeUrl } from '../node.js';
import type { AWSTranscribeSTTServiceOptions, Credentials, StreamingLanguageCode } from '../node.js';
import type { StreamParameters } from '../node.js';
import type { STTOptions } from './options.js';
import { serviceOptions, wireRate } from './options.js';

/** Only signs, to check the parameters. */
const THROWAWAY_KEY: Credentials = { accessKeyId: 'AKIDVALIDATION', secretAccessKey: 'validation-only' };

/** Any region will do with a URL provider (the backend that signs picks the real one), as in the service. */
const CHECK_REGION = 'us-east-1';

/**
 * The service's options that are not StartStreamTranscription parameters. The type makes the
 * compiler keep this list whole: a service option added or removed in core fails the build here.
 */
const SERVICE_ONLY: Record<Exclude<keyof AWSTranscribeSTTServiceOptions, keyof StreamParameters>, true> = {
  apiKey: true,
  awsAccessKeyId: true,
  awsSessionToken: true,
  region: true,
  credentials: true,
  url: true,
  sampleRate: true,
  language: true,
  settings: true,
  ttfsP99Latency: true,
  ttfsWindowMs: true,
  frameMs: true,
  stopTimeoutMs: true,
  logger: true,
  reconnectOnError: true,
  maxReconnectAttempts: true,
  bufferSeconds: true,
  keepAliveMs: true,
  maxStreamDurationMs: true,
  idleTimeoutMs: true,
  connectTimeoutMs: true,
  credentialsTimeoutMs: true,
};

/**
 * Pipecat's defaults, which the service puts under the user's parameters (but not for Transcribe
 * Medical, which has no stabilization). They matter here: `partialResultsStability` alone is
 * fine because of them.
 */
const PIPECAT_DEFAULTS = { enablePartialResultsStabilization: true, partialResultsStability: 'high' } as const;

/**
 * Throws an OptionError for options a stream would be refused with. The service's own checks
 * (ranges, the language, what goes with `url`) by building one that is never started, then the
 * stream parameters as the service signs them.
 */
export function checkOptions(o: STTOptions, label: string): void {
  const options = serviceOptions(o, label);
  const service = new AWSTranscribeSTTService(options);
  const params: Record<string, unknown> = { ...options };
  for (const key of Object.keys(SERVICE_ONLY)) delete params[key];
  const stream = params as StreamParameters;
  // As the service: no language code with language identification, else the settings' (en-US by default).
  const identify = stream.identifyLanguage || stream.identifyMultipleLanguages;
  const language = identify ? undefined : resolveLanguage(options.settings?.language ?? 'en-US', 'language');
  transcribeUrl({
    ...(stream.medical === true ? {} : PIPECAT_DEFAULTS),
    ...stream,
    ...(language === undefined ? {} : { languageCode: language as StreamingLanguageCode }),
    sampleRate: wireRate(o),
    mediaEncoding: 'pcm',
    region: service.region || CHECK_REGION,
    credentials: THROWAWAY_KEY,
  });
}
