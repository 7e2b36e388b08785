/**
 * What every stream's URL carries, whoever signs it: Pipecat's defaults under the user's
 * parameters, the language, wire rate and session id; and the small pieces both ways to connect
 * share (session ids, the host to name in messages). No signing here.
 */

import type { StreamingLanguageCode } from '../../transcribe/language-codes.js';
import type { ServiceRuntime, StreamParameters } from '../options.js';
import type { UrlParameters } from '../url-request.js';
import { randomUuid } from './uuid.js';

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
    ...pipecatDefaults(params),
    ...params,
    ...(sessionId !== undefined ? { sessionId } : {}),
    ...(lang !== undefined ? { languageCode: lang as StreamingLanguageCode } : {}),
    sampleRate: wireRate,
    mediaEncoding: 'pcm',
  };
}

/**
 * Pipecat's defaults, which the user's parameters override: stabilization on, at 'high' (a
 * stability only when stabilization stays on). Transcribe Medical has no stabilization: it gets
 * neither unless the user sets them (and then transcribeUrl says why not).
 */
function pipecatDefaults(
  params: StreamParameters,
): Pick<StreamParameters, 'enablePartialResultsStabilization' | 'partialResultsStability'> {
  if (params.medical === true) return {};
  if (params.enablePartialResultsStabilization === false) return {};
  return { enablePartialResultsStabilization: true, partialResultsStability: 'high' };
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

/**
 * The session id of a new stream. A user-given one is reused on a plain reconnect, never while
 * another stream holds it (AWS would end that stream with ConflictException); a switch's stream, or
 * one opened beside a live one, gets a fresh one. Without a given id, a plain connect sends none
 * (AWS picks one).
 */
export function sessionIdFor(
  given: string | undefined,
  busy: boolean,
  isSwitch: boolean,
  rt: ServiceRuntime,
): string | undefined {
  if (given !== undefined && !busy && !isSwitch) return given;
  if (given === undefined && !isSwitch) return undefined;
  return sessionUuid(rt);
}
