/**
 * Where to connect when the application gives a `url` provider: every stream (first connect,
 * reconnect, rotation, settings switch) asks it for a presigned URL, which is checked against the
 * service's settings (url-check.ts) and refused before any socket opens when it does not fit or
 * has expired. The service holds no credentials and imports no signing code on this path.
 */

import { cleanedCause, cleanedError, OptionError, TranscribeError } from '../../errors.js';
import type { AWSTranscribeSTTServiceOptions, StreamParameters } from '../options.js';
import type { Timer } from '../timer.js';
import type { UrlProvider, UrlReason, UrlRequest } from '../url-request.js';
import type { ConnectTarget, TargetHost, TargetSource } from './connect-target.js';
import { streamUrlOptions } from './target.js';
import { expectedQuery, inspectUrl } from './url-check.js';

/** Options that make no sense with a URL provider: the backend signs, and chooses where to connect. */
const SIGNING_OPTIONS = ['apiKey', 'awsAccessKeyId', 'awsSessionToken', 'credentials'] as const;
const WHERE_OPTIONS = ['region', 'endpoint', 'fips', 'dualStack'] as const;

/** Throws `OptionError` unless `options.url` is a provider and nothing that signs or picks a host is given with it. */
export function checkUrlOptions(options: AWSTranscribeSTTServiceOptions): UrlProvider {
  const provider = options.url;
  if (typeof provider !== 'function') {
    throw new OptionError(
      'url',
      'must be a function (request) => Promise<string> that returns a presigned wss:// URL (see presignedUrlProvider)',
    );
  }
  for (const name of SIGNING_OPTIONS) {
    if (options[name] !== undefined) {
      throw new OptionError(
        name,
        'cannot be combined with `url`: with a URL provider your backend signs, and the service holds no credentials',
      );
    }
  }
  for (const name of WHERE_OPTIONS) {
    if (options[name] !== undefined) {
      throw new OptionError(
        name,
        'cannot be combined with `url`: the backend that signs the URL chooses where to connect (give it to ' +
          'transcribeUrl there)',
      );
    }
  }
  return provider;
}

/**
 * `check` validates stream parameters where signing code is at hand anyway (the full service); else the
 * backend's transcribeUrl does.
 */
export function providedSource(
  host: TargetHost,
  check?: (params: StreamParameters, lang: string | undefined) => void,
): TargetSource {
  const provider = checkUrlOptions(host.options);
  return {
    region: '',
    check(params, lang) {
      // updateSettings() takes every stream parameter; these stay the backend's.
      for (const name of WHERE_OPTIONS) {
        if (name !== 'region' && params[name] !== undefined)
          throw new OptionError(
            name,
            'cannot be set with `url`: the backend that signs the URL chooses where to connect',
          );
      }
      check?.(params, lang);
    },
    start: () => providedTarget(host, provider),
  };
}

function providedTarget(host: TargetHost, provider: UrlProvider): ConnectTarget {
  let attempts = 0;
  return {
    msUntilRefresh: () => Infinity,
    async resolve(request, ms, timer) {
      // Credentials never expire here (there are none): a switch is a rotation.
      const reason: UrlReason = request.reason === 'credentials' ? 'rotation' : request.reason;
      for (let asked = 1; ; asked++) {
        // Taken afresh for each request: a settings change while the provider was busy is seen.
        const {
          endpoint: _e,
          fips: _f,
          dualStack: _d,
          ...parameters
        } = streamUrlOptions(host.params(), host.language(), host.wireRate(), request.sessionId);
        const query = expectedQuery(parameters);
        const url = await ask(
          provider,
          { attempt: ++attempts, reason, sessionId: request.sessionId, parameters, query },
          ms,
          timer,
          host,
        );
        const seen = inspectUrl(url, query, parameters.medical === true);
        if ('problem' in seen) {
          throw new TranscribeError(
            'URL_MISMATCH',
            `the URL from the \`url\` provider does not fit the service's settings: ${host.clean(seen.problem)}. ` +
              'The backend must sign exactly UrlRequest.parameters (presignedUrlHandler does)',
          );
        }
        for (const secret of seen.secrets) host.secret(secret);
        const now = host.now();
        if (seen.expiresAt === undefined || seen.expiresAt > now) return { url: url as string, where: seen.host };
        const what =
          `had expired at ${new Date(seen.expiresAt).toISOString()}, ` +
          `${Math.ceil((now - seen.expiresAt) / 1000)} s before this device's clock says it is now`;
        if (asked >= 2) {
          throw new TranscribeError(
            'URL_EXPIRED',
            `the URL from the \`url\` provider ${what}, twice in a row: check the clocks of the backend and of this ` +
              `device, ` +
              'and that the backend signs a fresh URL for every request (never a cached one)',
          );
        }
        // It may just have been slow: once more.
        host.log.warn?.(`the URL from the \`url\` provider ${what}; asking again`);
      }
    },
  };
}

/**
 * The provider's answer within `ms`; its failures typed (retryable unless it threw a TranscribeError saying
 * otherwise).
 */
function ask(provider: UrlProvider, request: UrlRequest, ms: number, timer: Timer, host: TargetHost): Promise<unknown> {
  return new Promise<unknown>((resolve, reject) => {
    // Once timed out, a late answer is ignored (and must not stop the timer of a later request).
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      timer.stop();
      return true;
    };
    timer.start(() => {
      settled = true;
      reject(
        new TranscribeError(
          'URL_TIMEOUT',
          `the \`url\` provider did not answer within credentialsTimeoutMs (${ms} ms)`,
          { retryable: true },
        ),
      );
    }, ms);
    let answer: unknown;
    try {
      answer = provider(request);
    } catch (err) {
      answer = Promise.reject(err);
    }
    Promise.resolve(answer).then(
      (url) => settle() && resolve(url),
      (err: unknown) => settle() && reject(providerError(err, host)),
    );
  });
}

/**
 * The provider's failure, typed, every text of it cleaned (secrets, controls, length): what a
 * provider says may echo a URL with its token, a proxy's page, a server's error message.
 */
function providerError(err: unknown, host: TargetHost): TranscribeError {
  const clean = (text: string): string => host.clean(text);
  if (err instanceof TranscribeError) return cleanedError(err, clean);
  const cause = cleanedCause(err, clean);
  return new TranscribeError('URL_PROVIDER_FAILED', `the \`url\` provider failed: ${cause.message}`, {
    retryable: true,
    cause,
  });
}
