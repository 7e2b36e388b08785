/**
 * What every stream's URL carries, whoever signs it: Pipecat's defaults under the user's
 * parameters, the language, wire rate and session id; and the small pieces both ways to connect
 * share (session ids, the host to name in messages). No signing here.
 */

import type { StreamingLanguageCode } from '../../transcribe/language-codes.js';
import type { ServiceRuntime, StreamParameters } from '../options.js';
import type { UrlParameters } from '../url-request.js';
import { randomUuid } from './uuid.js';

const PIPECAT_DEFAULTS = { enablePartialResultsStabilization: true, partialResultsStability: 'high' } as const;

/**
 * The `transcribeUrl` options of a stream (less region, credentials and date): what the service
 * signs, or asks a URL provider to sign. `params` may hold endpoint, fips and dualStack (signed path).
 */
export function streamUrlOptions(
  params: StreamParameters,
  lang: string | undefined,
  wireRate: 8000 | 16000,
  sessionId: string | undefined,
): UrlParameters & Pick<StreamParameters, 'endpoint' | 'fips' | 'dualStack'> {
  return {
    // Pipecat's defaults, which the user's parameters may override. Transcribe Medical has no
    // stabilization: it gets them only if the user sets them (and then transcribeUrl says why not).
    ...(params.medical === true ? {} : PIPECAT_DEFAULTS),
    ...params,
    ...(sessionId !== undefined ? { sessionId } : {}),
    ...(lang !== undefined ? { languageCode: lang as StreamingLanguageCode } : {}),
    sampleRate: wireRate,
    mediaEncoding: 'pcm',
  };
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
