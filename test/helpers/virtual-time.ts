// Virtual time for the service's injected clock and timers: minutes of reconnects, backoff and
// stalls run in milliseconds, deterministically. Timers fire in order of their due time; microtasks
// (the fake socket's events, promise continuations) run between them.
export class VirtualTime {
  now = 1_700_000_000_000;
  #seq = 0;
  readonly #timers = new Map<number, { at: number; fn: () => void }>();

  readonly runtime = {
    now: (): number => this.now,
    setTimeout: (fn: () => void, ms: number): unknown => {
      const id = ++this.#seq;
      this.#timers.set(id, { at: this.now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout: (handle: unknown): void => {
      this.#timers.delete(handle as number);
    },
  };

  get pending(): number {
    return this.#timers.size;
  }

  /** Let promise continuations and queued microtasks run (several rounds). */
  async settle(): Promise<void> {
    for (let i = 0; i < 20; i++) await Promise.resolve();
    await new Promise((r) => setImmediate(r));
  }

  /** Move the clock forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    await this.settle();
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.#timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.#timers.delete(next[0]);
      this.now = Math.max(this.now, next[1].at);
      next[1].fn();
      await this.settle();
    }
    this.now = end;
    await this.settle();
  }
}
