/**
 * Where to connect when the service holds credentials: it signs each stream's URL itself
 * (`transcribeUrl`, SigV4 in-process), with credentials from a cache that asks the provider again
 * before they expire. The only part of the service that imports the signer.
 */

import { cleanedCause, cleanedError, TranscribeError } from '../../errors.js';
import type { Credentials } from '../../sigv4/credentials.js';
import { secretsOf } from '../../sigv4/redact.js';
import { transcribeUrl } from '../../transcribe/url.js';
import { CredentialCache } from '../credentials.js';
import type { StreamParameters } from '../options.js';
import { resolveCredentials, resolveRegion } from '../options.js';
import type { ConnectTarget, TargetHost, TargetSource } from './connect-target.js';
import { describeEndpoint, streamUrlOptions } from './target.js';

/** Only signs, to check stream parameters before anything is sent. */
const VALIDATION_KEY: Credentials = { accessKeyId: 'AKIDVALIDATION', secretAccessKey: 'validation-only' };

/**
 * Bad stream parameters are configuration errors: an `OptionError` now (start() or
 * updateSettings() rejects), not a fatal error frame at the next connect. Signs with a
 * throwaway key; nothing is sent.
 */
export function checkStreamParameters(
  region: string,
  wireRate: 8000 | 16000,
  params: StreamParameters,
  lang: string | undefined,
  now: number,
): void {
  transcribeUrl({
    ...streamUrlOptions(params, lang, wireRate, params.sessionId),
    region,
    credentials: VALIDATION_KEY,
    date: new Date(now),
  });
}

export function signedSource(host: TargetHost): TargetSource {
  const { options, runtime } = host;
  const region = resolveRegion(options, runtime.env);
  return {
    region,
    check: (params, lang) => checkStreamParameters(region, host.wireRate(), params, lang, host.now()),
    start: () =>
      signedTarget(host, region, new CredentialCache(resolveCredentials(options, runtime), () => host.now())),
  };
}

function signedTarget(host: TargetHost, region: string, creds: CredentialCache): ConnectTarget {
  return {
    msUntilRefresh: () => creds.msUntilRefresh(),
    async resolve(request, ms, timer) {
      let credentials: Credentials;
      try {
        credentials = await creds.getWithin(ms, timer);
      } catch (err) {
        // What a provider says may quote what it was given (a credentials endpoint's body, a token): cleaned,
        // and never kept raw as the cause.
        const clean = (text: string): string => host.clean(text);
        if (err instanceof TranscribeError) throw cleanedError(err, clean);
        const cause = cleanedCause(err, clean);
        throw new TranscribeError('NO_CREDENTIALS', `could not get AWS credentials: ${cause.message}`, { cause });
      }
      const params = host.params();
      const url = transcribeUrl({
        ...streamUrlOptions(params, host.language(), host.wireRate(), request.sessionId),
        region,
        credentials,
        date: new Date(host.now()),
      });
      // Remembered, to be scrubbed from what the server echoes.
      for (const secret of secretsOf(credentials, url)) host.secret(secret);
      return { url, where: describeEndpoint(params.endpoint, region) };
    },
  };
}
