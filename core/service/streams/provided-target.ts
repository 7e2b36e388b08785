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
import type { ConnectRequest, ConnectTarget, StreamTarget, TargetHost, TargetSource } from './connect-target.js';
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

/** A URL from the provider, checked, with when it was signed and when it expires (epoch ms, the backend's clock). */
interface Answer {
  url: string;
  where: string;
  signedAt: number | undefined;
  expiresAt: number | undefined;
  /** This device's clock when the answer came. */
  now: number;
}

/**
 * Two URLs whose signing times, each against this device's clock when it came, differ by less than
 * this were signed on the same clock (X-Amz-Date has whole seconds, and the provider takes time).
 */
const SAME_CLOCK_MS = 2000;

/**
 * Whether a URL is still good is a question for the backend's clock, not this device's, which may
 * be off by minutes while the URL lives seconds: a freshly signed URL's X-Amz-Date is "now" on the
 * backend. `skew` (backend minus device) is learned from the URLs: the freshest one seen, since a
 * stale URL only ever looks older. A URL that looks expired is asked for once more; when the second
 * looks as old as the first, and none taught a skew yet (the first connect), the two clocks differ
 * and this device cannot tell whose is wrong: it trusts the backend's, says so, and lets AWS decide.
 * A URL older than what the backend signed before, or one still expired by a learned skew, is refused.
 */
function providedTarget(host: TargetHost, provider: UrlProvider): ConnectTarget {
  let attempts = 0;
  let skew: number | undefined;
  const fits = (a: Answer): boolean => a.expiresAt === undefined || a.expiresAt > a.now + (skew ?? 0);
  const offset = (a: Answer): number => (a.signedAt ?? a.now) - a.now;
  const learn = (a: Answer): StreamTarget => {
    if (a.signedAt !== undefined) skew = skew === undefined ? offset(a) : Math.max(skew, offset(a));
    return { url: a.url, where: a.where };
  };
  return {
    msUntilRefresh: () => Infinity,
    async resolve(request, ms, timer) {
      // Credentials never expire here (there are none): a switch is a rotation.
      const reason: UrlReason = request.reason === 'credentials' ? 'rotation' : request.reason;
      const next = (): Promise<Answer> => answer(host, provider, { attempt: ++attempts, reason, request }, ms, timer);
      const first = await next();
      if (fits(first)) return learn(first);
      // It may just have been slow, or stale: once more.
      host.log.warn?.(`the URL from the \`url\` provider ${expired(first, skew)}; asking again`);
      const second = await next();
      if (fits(second)) return learn(second);
      const sameClock = offset(second) >= offset(first) - SAME_CLOCK_MS;
      if (skew === undefined && sameClock) {
        skew = offset(second);
        host.log.warn?.(
          `the URLs from the \`url\` provider were signed ${Math.round(-skew / 1000)} s before this device's clock ` +
            "says it is now, twice in a row: this device's clock or the backend's is off by that much. Connecting " +
            "on the backend's time; if its clock is the wrong one, AWS refuses the URL",
        );
        return { url: second.url, where: second.where };
      }
      throw new TranscribeError(
        'URL_EXPIRED',
        `the URL from the \`url\` provider ${expired(second, skew)}, twice in a row` +
          (sameClock ? '' : ', the second signed before the first') +
          ': the backend must sign a fresh URL for every request (never a cached one); check its clock, and if this ' +
          "device's clock was just changed, start again",
      );
    },
  };
}

/** How a URL that does not fit is described (against the learned skew, or this device's clock without one). */
function expired(a: Answer, skew: number | undefined): string {
  const late = Math.ceil((a.now + (skew ?? 0) - (a.expiresAt ?? 0)) / 1000);
  const off = Math.round(-(skew ?? 0) / 1000);
  const clock =
    skew === undefined
      ? "this device's clock says it is now"
      : `now by the backend's clock (this device's runs ${Math.abs(off)} s ${off < 0 ? 'behind' : 'ahead'})`;
  return `had expired at ${new Date(a.expiresAt ?? 0).toISOString()}, ${late} s before ${clock}`;
}

/** One URL from the provider for `request`, checked against the service's settings at the time. */
async function answer(
  host: TargetHost,
  provider: UrlProvider,
  o: { attempt: number; reason: UrlReason; request: ConnectRequest },
  ms: number,
  timer: Timer,
): Promise<Answer> {
  const sessionId = o.request.sessionId;
  // Taken afresh for each request: a settings change while the provider was busy is seen.
  const {
    endpoint: _e,
    fips: _f,
    dualStack: _d,
    ...parameters
  } = streamUrlOptions(host.params(), host.language(), host.wireRate(), sessionId);
  const query = expectedQuery(parameters);
  const url = await ask(
    provider,
    { attempt: o.attempt, reason: o.reason, sessionId, parameters, query },
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
  return { url: url as string, where: seen.host, signedAt: seen.signedAt, expiresAt: seen.expiresAt, now: host.now() };
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
