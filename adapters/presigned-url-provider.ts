/**
 * The page's side of the presigned-URL handoff: a `url` provider that asks your server (see
 * presignedUrlHandler) for each stream's URL with one `fetch`. Nothing here signs anything.
 */

import { redactUrl, safeText, TranscribeError } from '../core/index.js';
import type { UrlProvider } from '../core/index.js';
import type { PresignedUrlAnswer, PresignedUrlError, PresignedUrlRequestBody } from './presigned-url-wire.js';

/** The part of `fetch` used (so tests and other runtimes can pass their own). */
export type FetchLike = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body: string;
    credentials?: 'omit' | 'same-origin' | 'include';
    cache?: 'no-store';
  },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

/** How much of the server's reason a message quotes: enough to act on, never a page of HTML. */
const MAX_REASON = 300;

export interface PresignedUrlProviderOptions {
  /**
   * Headers of your app for the request (an anti-CSRF token, an Authorization header), or a function that
   * returns them.
   */
  headers?: Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);
  /** Whether cookies go with the request (fetch's `credentials`); default `same-origin`. */
  credentials?: 'omit' | 'same-origin' | 'include';
  fetch?: FetchLike;
}

/**
 * A `url` provider that POSTs each request's parameters to `endpoint` (your presignedUrlHandler)
 * and returns the URL it answers. Refusals (4xx) end the service with URL_PROVIDER_FAILED naming
 * the server's reason; server errors (5xx, 408, 429) and network failures are retried.
 */
export function presignedUrlProvider(endpoint: string, o: PresignedUrlProviderOptions = {}): UrlProvider {
  const fetchImpl: FetchLike = o.fetch ?? ((url, init) => fetch(url, init));
  // Named in messages: without what its query or user info may carry (a token of the app's).
  const shown = safeText(redactUrl(endpoint), [], 200);
  return async (request) => {
    const extra = typeof o.headers === 'function' ? await o.headers() : o.headers;
    const body: PresignedUrlRequestBody = { parameters: request.parameters };
    const res = await fetchImpl(endpoint, {
      method: 'POST',
      headers: { ...extra, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: o.credentials ?? 'same-origin',
      cache: 'no-store',
    });
    const answer = (await res.json().catch(() => undefined)) as
      | (Partial<PresignedUrlAnswer> & Partial<PresignedUrlError>)
      | undefined;
    if (!res.ok) {
      const e = answer?.error;
      // Whatever answered (the handler, a proxy, an attacker in between) may put anything there: cleaned here,
      // where the message is made, and once more by the service over the secrets it knows.
      const why =
        e && typeof e.message === 'string'
          ? safeText(`${String(e.code)}: ${e.message}`, [], MAX_REASON)
          : 'no reason given';
      const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
      throw new TranscribeError('URL_PROVIDER_FAILED', `${shown} answered HTTP ${res.status} (${why})`, {
        status: res.status,
        retryable,
      });
    }
    if (typeof answer?.url !== 'string') {
      throw new TranscribeError(
        'URL_PROVIDER_FAILED',
        `${shown} answered HTTP ${res.status} without a "url" string: is it a presignedUrlHandler?`,
      );
    }
    return answer.url;
  };
}
