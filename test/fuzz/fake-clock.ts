// Virtual time for the service under fuzz: its runtime's now/setTimeout/clearTimeout come from
// here, so backoff delays, stop timeouts and "a stream stayed open a minute" take no real time
// and every run replays exactly.

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
}

export class FakeClock {
  #now: number;
  #seq = 0;
  readonly #timers = new Map<number, Timer>();
  /** Called with whatever a timer callback throws (nothing from a timer may escape into the host). */
  readonly #onThrow: (err: unknown) => void;

  constructor(start: number, onThrow: (err: unknown) => void) {
    this.#now = start;
    this.#onThrow = onThrow;
  }

  readonly now = (): number => this.#now;

  readonly setTimeout = (fn: () => void, ms: number): unknown => {
    const id = ++this.#seq;
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    this.#timers.set(id, { at: this.#now + delay, seq: id, fn });
    return id;
  };

  readonly clearTimeout = (handle: unknown): void => {
    this.#timers.delete(handle as number);
  };

  get pending(): number {
    return this.#timers.size;
  }

  /** When the next timer is due, if any. */
  nextDue(): number | undefined {
    let best: Timer | undefined;
    for (const t of this.#timers.values())
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    return best?.at;
  }

  /**
   * Move time forward to `until`, running each timer due on the way in order; `settle` runs after
   * each one (the service's promises and the fake socket's microtasks happen between timers).
   */
  async advanceTo(until: number, settle: () => Promise<void>): Promise<void> {
    for (;;) {
      let due: Timer | undefined;
      for (const t of this.#timers.values())
        if (t.at <= until && (!due || t.at < due.at || (t.at === due.at && t.seq < due.seq))) due = t;
      if (!due) break;
      this.#timers.delete(due.seq);
      this.#now = Math.max(this.#now, due.at);
      try {
        due.fn();
      } catch (err) {
        this.#onThrow(err);
      }
      await settle();
    }
    this.#now = Math.max(this.#now, until);
  }

  advance(ms: number, settle: () => Promise<void>): Promise<void> {
    return this.advanceTo(this.#now + ms, settle);
  }
}
