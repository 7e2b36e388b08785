/**
 * What a stream of the service connects to: its presigned URL (Pipecat's defaults under the
 * user's parameters), the same signing as an early check of the parameters, session ids, and the
 * host to name in messages.
 */

import type { StreamingLanguageCode } from '../../transcribe/language-codes.js';
import type { ServiceRuntime, StreamParameters } from '../options.js';
import type { Credentials } from '../../sigv4/credentials.js';
import { transcribeUrl } from '../../transcribe/url.js';
import { randomUuid } from './uuid.js';

/** Only signs, to check stream parameters before anything is sent. */
const VALIDATION_KEY: Credentials = { accessKeyId: 'AKIDVALIDATION', secretAccessKey: 'validation-only' };

const PIPECAT_DEFAULTS = { enablePartialResultsStabilization: true, partialResultsStability: 'high' } as const;

/** The service fields a URL depends on besides the parameters. */
interface Target {
  readonly region: string;
  readonly wireRate: 8000 | 16000;
}

/** The presigned URL of a stream with these parameters (throws `OptionError` for bad ones). */
export function streamUrl(
  t: Target,
  credentials: Credentials,
  sessionId: string | undefined,
  params: StreamParameters,
  lang: string | undefined,
  now: number,
): string {
  return transcribeUrl({
    // Pipecat's defaults, which the user's parameters may override. Transcribe Medical has no
    // stabilization: it gets them only if the user sets them (and then transcribeUrl says why not).
    ...(params.medical === true ? {} : PIPECAT_DEFAULTS),
    ...params,
    ...(sessionId !== undefined ? { sessionId } : {}),
    ...(lang !== undefined ? { languageCode: lang as StreamingLanguageCode } : {}),
    region: t.region,
    credentials,
    sampleRate: t.wireRate,
    mediaEncoding: 'pcm',
    date: new Date(now),
  });
}

/**
 * Bad stream parameters are configuration errors: an `OptionError` now (start() or
 * updateSettings() rejects), not a fatal error frame at the next connect. Signs with a
 * throwaway key; nothing is sent.
 */
export function checkStreamParameters(t: Target, params: StreamParameters, lang: string | undefined, now: number): void {
  streamUrl(t, VALIDATION_KEY, params.sessionId, params, lang, now);
}

/** Host and region for messages (never the URL: it carries the signature). */
export function describeEndpoint(endpoint: StreamParameters['endpoint'], region: string): string {
  if (!endpoint) return `Amazon Transcribe (${region})`;
  try {
    return new URL(endpoint).host;
  } catch {
    return 'the custom endpoint';
  }
}

export function sessionUuid(rt: ServiceRuntime): string {
  return rt.randomUUID ? rt.randomUUID() : randomUuid(rt.random ?? Math.random);
}
