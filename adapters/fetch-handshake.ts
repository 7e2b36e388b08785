/**
 * Why an upgrade was refused, for runtimes whose WebSocket hides it (Deno, Bun): the same
 * presigned URL is asked once more as a plain `fetch` GET (no Upgrade header, so it can never open
 * a billed stream). The service runs the same signature and parameter checks and answers 403 or
 * 400 when those are the problem; 426 ("upgrade required") means the request itself was fine, so it
 * tells nothing. Browsers cannot use this (no CORS on the endpoint): there it is left out.
 *
 * Bounded as node-handshake.ts is: the status when the head arrives, a moment and a few KB of the
 * body, one deadline for all, and the request aborted once the answer is known.
 */

import type { HandshakeDiagnosis } from '../core/index.js';
import { readCapped } from './capped-body.js';

/** How far a handshake diagnosis goes (the defaults suit AWS, whose answers are small and quick). */
export interface DiagnosisLimits {
  /** The whole diagnosis, connect to last byte (default 5000 ms). */
  deadlineMs?: number;
  /** Reading the body once the head arrived (default 1000 ms). */
  bodyMs?: number;
  /** Bytes of the body kept (default 4096). */
  maxBody?: number;
}

type FetchLike = (
  url: string,
  init: { method: string; signal?: AbortSignal },
) => Promise<{ status: number; body?: ReadableStream<Uint8Array> | null; text(): Promise<string> }>;

export function fetchHandshakeDiagnosis(
  fetchImpl: FetchLike = fetch,
  limits: DiagnosisLimits = {},
): HandshakeDiagnosis {
  const { deadlineMs = 5000, bodyMs = 1000, maxBody = 4096 } = limits;
  return async (url) => {
    const httpUrl = url.replace(/^ws(s?):/i, 'http$1:');
    const abort = typeof AbortController === 'function' ? new AbortController() : undefined;
    const started = Date.now();
    let deadline: ReturnType<typeof setTimeout> | undefined;
    // Without an AbortController a hung fetch is still given up on (it may linger; nothing waits for it).
    const late = new Promise<undefined>((resolve) => {
      deadline = setTimeout(() => {
        abort?.abort();
        resolve(undefined);
      }, deadlineMs);
    });
    try {
      const res = await Promise.race([
        fetchImpl(httpUrl, abort ? { method: 'GET', signal: abort.signal } : { method: 'GET' }),
        late,
      ]);
      if (res === undefined || res.status === 426 || res.status === 101) return undefined;
      const ms = Math.max(0, Math.min(bodyMs, deadlineMs - (Date.now() - started)));
      const body = await readBody(res, maxBody, ms).catch(() => '');
      return { status: res.status, body };
    } catch {
      return undefined;
    } finally {
      clearTimeout(deadline);
      // The request (and its connection) never outlives the diagnosis, whatever the other side still sends.
      abort?.abort();
    }
  };
}

/** At most `max` bytes of the body within `ms`; a runtime without body streams reads text() within `ms`. */
async function readBody(
  res: { body?: ReadableStream<Uint8Array> | null; text(): Promise<string> },
  max: number,
  ms: number,
): Promise<string> {
  if (res.body !== undefined) return new TextDecoder().decode((await readCapped(res.body, max, ms)).bytes);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(''), ms)));
  try {
    return (await Promise.race([res.text(), late])).slice(0, max);
  } finally {
    clearTimeout(timer);
  }
}
