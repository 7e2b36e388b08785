/**
 * Why an upgrade was refused, for runtimes whose WebSocket hides it (Deno, Bun): the same
 * presigned URL is asked once more as a plain `fetch` GET (no Upgrade header, so it can never open
 * a billed stream). The service runs the same signature and parameter checks and answers 403 or
 * 400 when those are the problem; 426 ("upgrade required") means the request itself was fine, so it
 * tells nothing. Browsers cannot use this (no CORS on the endpoint): there it is left out.
 */

import type { HandshakeDiagnosis } from '../core/index.js';

const MAX_BODY = 4096;
const TIMEOUT_MS = 5000;

type FetchLike = (
  url: string,
  init: { method: string; signal?: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>;

export function fetchHandshakeDiagnosis(fetchImpl: FetchLike = fetch): HandshakeDiagnosis {
  return async (url) => {
    const httpUrl = url.replace(/^ws(s?):/i, 'http$1:');
    const abort = typeof AbortController === 'function' ? new AbortController() : undefined;
    const timer = abort ? setTimeout(() => abort.abort(), TIMEOUT_MS) : undefined;
    try {
      const res = await fetchImpl(httpUrl, abort ? { method: 'GET', signal: abort.signal } : { method: 'GET' });
      if (res.status === 426 || res.status === 101) return undefined;
      const body = await res.text();
      return { status: res.status, body: body.slice(0, MAX_BODY) };
    } catch {
      return undefined;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  };
}
