/**
 * The server's side of the presigned-URL handoff: an HTTP handler (WHATWG Request -> Response, so
 * Deno.serve, Bun.serve, Workers' fetch and Node through nodeHttpListener all take it as is) that
 * signs a short-lived Transcribe URL with the server's credentials for the parameters a page asks
 * for, within an allow-list. The page never holds an AWS key; a URL it gets is good for one
 * connection within seconds, for exactly the stream it asked for.
 */

import { CredentialCache, OptionError, TranscribeError, transcribeUrl } from '../core/index.js';
import type { CredentialProvider, Credentials, StreamParameters, UrlParameters } from '../core/index.js';
import type {
  PresignedUrlAnswer,
  PresignedUrlError,
  PresignedUrlErrorCode,
  PresignedUrlRequestBody,
} from './presigned-url-wire.js';
import { readCapped } from './capped-body.js';
import type { CappedBody } from './capped-body.js';

/** Parameters a page may always ask for: what the service itself sets, and choices that cost nothing extra. */
const ALWAYS = new Set<string>([
  'languageCode',
  'sampleRate',
  'mediaEncoding',
  'sessionId',
  'identifyLanguage',
  'identifyMultipleLanguages',
  'languageOptions',
  'preferredLanguage',
  'enablePartialResultsStabilization',
  'partialResultsStability',
  'showSpeakerLabel',
  'enableChannelIdentification',
  'numberOfChannels',
  'transcriptFormat',
]);

/** Parameters a page may ask for only where the server allows them (account resources, features that cost, Medical). */
export type OptInParameter =
  | 'vocabularyName'
  | 'vocabularyNames'
  | 'vocabularyFilterName'
  | 'vocabularyFilterNames'
  | 'vocabularyFilterMethod'
  | 'languageModelName'
  | 'contentIdentificationType'
  | 'contentRedactionType'
  | 'piiEntityTypes'
  | 'sessionResumeWindow'
  | 'medical'
  | 'specialty'
  | 'type';

const OPT_IN = new Set<string>([
  'vocabularyName',
  'vocabularyNames',
  'vocabularyFilterName',
  'vocabularyFilterNames',
  'vocabularyFilterMethod',
  'languageModelName',
  'contentIdentificationType',
  'contentRedactionType',
  'piiEntityTypes',
  'sessionResumeWindow',
  'medical',
  'specialty',
  'type',
] satisfies OptInParameter[]);

/** The language parameters `languages` restricts. */
const LANGUAGE_PARAMETERS = ['languageCode', 'languageOptions', 'preferredLanguage'] as const;

export const MAX_HANDOFF_EXPIRES = 60;
const DEFAULT_EXPIRES = 30;
const MAX_BODY = 16_384;
const DEFAULT_CREDENTIALS_TIMEOUT_MS = 10_000;
const DEFAULT_BODY_TIMEOUT_MS = 10_000;

export interface PresignedUrlHandlerOptions {
  /** The server's credentials, or a provider of them (cached until shortly before `expiration`). */
  credentials: Credentials | CredentialProvider;
  /** The region to sign for (the page never chooses it). */
  region: string;
  /**
   * Where pages connect instead of AWS's endpoint (e.g. the emulator's `ws://127.0.0.1:…`); or `fips` /
   * `dualStack`.
   */
  endpoint?: StreamParameters['endpoint'];
  fips?: boolean;
  dualStack?: boolean;
  /** Seconds a URL stays valid, 1..60 (default 30): it only has to last until the handshake. */
  expiresIn?: number;
  /** Language codes pages may ask for (in languageCode, languageOptions, preferredLanguage); default any. */
  languages?: readonly string[];
  /**
   * Parameters beyond the default set (language, sample rate, stabilization, speaker labels, channel
   * identification, transcript format) that pages may ask for: `true` for any valid value, or the values allowed.
   */
  allow?: { [K in OptInParameter]?: true | readonly (string | boolean | number)[] };
  /**
   * Whether this request may have a URL (your session, CSRF or rate check); false answers 403. Asked before
   * anything else, with the request untouched: to look at the body, read `request.clone()`.
   */
  authorize?: (request: Request) => boolean | Promise<boolean>;
  /**
   * How long a request waits for `credentials` (default 10 000 ms): then it is answered 503, and the next
   * request asks the provider again instead of joining a call that may never answer.
   */
  credentialsTimeoutMs?: number;
  /** How long a request's body may take to arrive (default 10 s); then 408, the rest cancelled. */
  bodyTimeoutMs?: number;
  /**
   * Where a failure to get credentials is reported (the page only learns that there was one); default
   * console.error.
   */
  onError?: (error: unknown) => void;
  /** The clock to sign with (tests). */
  now?: () => number;
}

/** A request this handler answers with an error status (never a secret in it). */
class Refusal {
  readonly status: number;
  readonly code: PresignedUrlErrorCode;
  readonly message: string;
  readonly option: string | undefined;

  constructor(status: number, code: PresignedUrlErrorCode, message: string, option?: string) {
    this.status = status;
    this.code = code;
    this.message = message;
    this.option = option;
  }
}

function json(
  status: number,
  body: PresignedUrlAnswer | PresignedUrlError,
  extra: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...extra },
  });
}

/** Every item of a list parameter (array or comma string), else the value itself. */
function items(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return v.split(',').map((s) => s.trim());
  return [v];
}

/** The parameters of the request, within the allow-list; a Refusal naming the first one outside it. */
function allowed(body: unknown, o: PresignedUrlHandlerOptions): UrlParameters {
  const parameters = (body as Partial<PresignedUrlRequestBody> | null)?.parameters;
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) {
    throw new Refusal(400, 'BAD_REQUEST', 'the body must be JSON of the form { "parameters": { … } }');
  }
  for (const [name, value] of Object.entries(parameters)) {
    if (value === undefined || value === false) continue;
    const allowedValues = OPT_IN.has(name) ? o.allow?.[name as OptInParameter] : undefined;
    if (!ALWAYS.has(name) && allowedValues === undefined) {
      throw new Refusal(400, 'NOT_ALLOWED', `${name} is not a parameter this server lets pages choose`, name);
    }
    if (Array.isArray(allowedValues) && !items(value).every((x) => allowedValues.includes(x as string))) {
      throw new Refusal(400, 'NOT_ALLOWED', `${name}: this server allows ${allowedValues.join(', ')}`, name);
    }
  }
  const languages = o.languages;
  if (languages) {
    for (const name of LANGUAGE_PARAMETERS) {
      const v = (parameters as Record<string, unknown>)[name];
      if (v !== undefined && !items(v).every((x) => languages.includes(x as string))) {
        throw new Refusal(
          400,
          'NOT_ALLOWED',
          `${name}: this server allows the languages ${languages.join(', ')}`,
          name,
        );
      }
    }
  }
  return parameters as UrlParameters;
}

/** A one-shot timer for CredentialCache.getWithin (one per request: requests wait side by side). */
function requestTimer(): { start(fn: () => void, ms: number): void; stop(): void } {
  let handle: ReturnType<typeof setTimeout> | undefined;
  const stop = (): void => {
    if (handle !== undefined) clearTimeout(handle);
    handle = undefined;
  };
  return {
    start(fn, ms) {
      stop();
      handle = setTimeout(() => {
        handle = undefined;
        fn();
      }, ms);
    },
    stop,
  };
}

/**
 * The request's JSON body. Judged only once authorize() said yes: its Content-Length first, then
 * read as a stream and given up past MAX_BODY bytes (the rest cancelled), so no client makes the
 * server buffer more than that, whatever serves the handler.
 */
async function readJson(request: Request, bodyTimeoutMs: number): Promise<unknown> {
  if (request.method !== 'POST') throw new Refusal(405, 'BAD_REQUEST', 'use POST');
  if (!/^application\/json\b/i.test(request.headers.get('Content-Type') ?? '')) {
    throw new Refusal(415, 'BAD_REQUEST', 'the body must be application/json');
  }
  const tooLarge = new Refusal(413, 'BAD_REQUEST', `the body is over ${MAX_BODY} bytes`);
  const declared = Number(request.headers.get('Content-Length') ?? 0);
  if (declared > MAX_BODY) throw tooLarge;
  if (request.bodyUsed) {
    // A bug of the server's, not the page's: its own error, not an answer.
    throw new TypeError('presignedUrlHandler: authorize() read the request body: read request.clone() instead');
  }
  let body: CappedBody;
  try {
    body = await readCapped(request.body, MAX_BODY, bodyTimeoutMs);
  } catch {
    throw new Refusal(400, 'BAD_REQUEST', 'the body could not be read');
  }
  if (body.end === 'size') throw tooLarge;
  if (body.end === 'time') throw new Refusal(408, 'BAD_REQUEST', `the body took over ${bodyTimeoutMs} ms`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body.bytes);
  } catch {
    throw new Refusal(400, 'BAD_REQUEST', 'the body is not UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Refusal(400, 'BAD_REQUEST', 'the body is not JSON');
  }
}

/**
 * An HTTP handler that answers `POST { parameters }` (what presignedUrlProvider sends) with
 * `{ url, expiresAt }`: a URL signed with the server's credentials, for `region`, valid `expiresIn`
 * seconds (at most 60). Throws OptionError at once for bad options.
 */
export function presignedUrlHandler(o: PresignedUrlHandlerOptions): (request: Request) => Promise<Response> {
  const expiresIn = o.expiresIn ?? DEFAULT_EXPIRES;
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_HANDOFF_EXPIRES) {
    throw new OptionError(
      'expiresIn',
      `must be a whole number of seconds from 1 to ${MAX_HANDOFF_EXPIRES}: a handed-off URL only has to last until ` +
        `the handshake`,
    );
  }
  const credentialsTimeoutMs = o.credentialsTimeoutMs ?? DEFAULT_CREDENTIALS_TIMEOUT_MS;
  if (typeof credentialsTimeoutMs !== 'number' || !(credentialsTimeoutMs > 0) || !Number.isFinite(credentialsTimeoutMs))
    throw new OptionError('credentialsTimeoutMs', 'must be a positive number of milliseconds');
  const bodyTimeoutMs = o.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  if (typeof bodyTimeoutMs !== 'number' || !(bodyTimeoutMs > 0) || !Number.isFinite(bodyTimeoutMs))
    throw new OptionError('bodyTimeoutMs', 'must be a positive number of milliseconds');
  if (o.credentials === undefined || o.credentials === null)
    throw new OptionError('credentials', "is required: the server's AWS credentials or a provider of them");
  const given = o.credentials;
  const cache = new CredentialCache(typeof given === 'function' ? given : () => given, o.now);
  const now = o.now ?? Date.now;
  const where = {
    region: o.region,
    ...(o.endpoint !== undefined ? { endpoint: o.endpoint } : {}),
    ...(o.fips ? { fips: true } : {}),
    ...(o.dualStack ? { dualStack: true } : {}),
  };
  // Checked once now: a bad region or endpoint is the server's configuration error, not a page's.
  transcribeUrl({
    ...where,
    credentials: { accessKeyId: 'AKIDCHECK', secretAccessKey: 'check' },
    sampleRate: 16000,
    languageCode: 'en-US',
  });
  const report =
    o.onError ??
    ((err: unknown) => console.error('[transcribe-stream] presignedUrlHandler: could not get AWS credentials:', err));

  return async (request) => {
    try {
      // First, with the request untouched: a request that may not have a URL learns nothing (not even the
      // allow-list from a refusal) and costs no body read.
      if (o.authorize && !(await o.authorize(request)))
        throw new Refusal(403, 'FORBIDDEN', 'not allowed to transcribe');
      const parameters = allowed(await readJson(request, bodyTimeoutMs), o);
      let credentials: Credentials;
      try {
        // getWithin, not a race around get(): a call that hangs must stop being the one every later request joins.
        credentials = await cache.getWithin(credentialsTimeoutMs, requestTimer());
      } catch (err) {
        report(
          err instanceof TranscribeError && err.code === 'CREDENTIALS_TIMEOUT'
            ? new TranscribeError(
                'CREDENTIALS_TIMEOUT',
                `the credentials provider did not answer within credentialsTimeoutMs (${credentialsTimeoutMs} ms); ` +
                  'the next request asks it again',
                { retryable: true },
              )
            : err,
        );
        throw new Refusal(503, 'NO_CREDENTIALS', 'the server could not get its AWS credentials; try again later');
      }
      const date = new Date(now());
      let url: string;
      try {
        url = transcribeUrl({ ...parameters, ...where, credentials, expiresIn, date });
      } catch (err) {
        // The page asked for a value Transcribe would refuse: OptionError names it (and never echoes a secret).
        if (err instanceof OptionError) throw new Refusal(400, 'INVALID_OPTION', err.message, err.option);
        throw err;
      }
      return json(200, {
        url,
        expiresAt: new Date(date.getTime() - (date.getTime() % 1000) + expiresIn * 1000).toISOString(),
      });
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      const body: PresignedUrlError = {
        error: { code: err.code, message: err.message, ...(err.option !== undefined ? { option: err.option } : {}) },
      };
      return json(err.status, body, err.status === 405 ? { Allow: 'POST' } : {});
    }
  };
}
