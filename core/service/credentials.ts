/**
 * Where the signing credentials come from, and when to ask again. Temporary credentials rotate
 * mid-call (STS, SSO, instance roles), and Transcribe cannot change credentials on a live stream,
 * so every (re)connect signs with credentials that are valid well past the handshake.
 */

import { TranscribeError } from '../errors.js';
import type { Credentials } from '../sigv4/credentials.js';
import type { Timer } from './timer.js';

export type CredentialProvider = () => Credentials | Promise<Credentials>;

/**
 * Ask the provider again this long before `expiration` (AWS SDKs use 5 minutes as well), or at
 * half the lifetime for credentials that live less than twice that.
 */
export const DEFAULT_REFRESH_BEFORE_MS: number = 5 * 60_000;

/**
 * Caches one provider's answer until shortly before its `expiration` (credentials without one are
 * kept until `invalidate()`). Concurrent callers share one pending request.
 */
export class CredentialCache {
  readonly #provider: CredentialProvider;
  readonly #now: () => number;
  readonly #refreshBeforeMs: number;
  #value: Credentials | undefined;
  #fetchedAt = 0;
  #pending: Promise<Credentials> | undefined;

  constructor(
    provider: CredentialProvider,
    now: () => number = Date.now,
    refreshBeforeMs: number = DEFAULT_REFRESH_BEFORE_MS,
  ) {
    this.#provider = provider;
    this.#now = now;
    this.#refreshBeforeMs = refreshBeforeMs;
  }

  /** Valid credentials: the cached ones while fresh, else a new answer from the provider. */
  get(): Promise<Credentials> {
    const v = this.#value;
    if (v && !this.needsRefresh()) return Promise.resolve(v);
    if (this.#pending) return this.#pending;
    let pending!: Promise<Credentials>;
    pending = (async () => {
      try {
        // After a tick: a provider that throws at once must still find #pending set.
        await undefined;
        const c = await this.#provider();
        this.#value = c;
        this.#fetchedAt = this.#now();
        return c;
      } finally {
        if (this.#pending === pending) this.#pending = undefined;
      }
    })();
    return (this.#pending = pending);
  }

  /**
   * `get()` within `ms` (on `timer`): a provider that hangs rejects with a retryable
   * CREDENTIALS_TIMEOUT, and the next call asks the provider again instead of waiting on it. Any
   * one-shot timer will do (the server helper, which has no service, brings its own).
   */
  getWithin(ms: number, timer: Pick<Timer, 'start' | 'stop'>): Promise<Credentials> {
    return new Promise<Credentials>((resolve, reject) => {
      // Once timed out, a late answer must not stop the timer of a later call.
      let settled = false;
      timer.start(() => {
        settled = true;
        this.#pending = undefined;
        reject(
          new TranscribeError(
            'CREDENTIALS_TIMEOUT',
            `the credentials provider did not answer within credentialsTimeoutMs (${ms} ms); retrying`,
            { retryable: true },
          ),
        );
      }, ms);
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        timer.stop();
        return true;
      };
      this.get().then(
        (c) => settle() && resolve(c),
        (e: unknown) => settle() && reject(e),
      );
    });
  }

  /** True when the cached credentials are missing or expire within the refresh margin. */
  needsRefresh(): boolean {
    const v = this.#value;
    if (!v) return true;
    return v.expiration !== undefined && v.expiration.getTime() - this.#now() <= this.#margin(v.expiration);
  }

  #margin(expiration: Date): number {
    return Math.min(this.#refreshBeforeMs, (expiration.getTime() - this.#fetchedAt) / 2);
  }

  /** Milliseconds until the cached credentials should be refreshed; Infinity when they never expire. */
  msUntilRefresh(): number {
    const exp = this.#value?.expiration;
    return exp === undefined ? Infinity : Math.max(0, exp.getTime() - this.#margin(exp) - this.#now());
  }

  invalidate(): void {
    this.#value = undefined;
  }
}
