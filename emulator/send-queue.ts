/**
 * What a stream sends, in order, each message when it comes due: at once, after an injected
 * delay, or after a final's processing delay. One timer for the whole queue; `clear()` at close
 * leaves nothing behind (no timer, no closure holding the stream).
 */

interface Pending {
  due: number;
  send: () => void;
}

export class SendQueue {
  /** Extra delay on everything (the `delay` fault). */
  delayMs = 0;
  private readonly pending: Pending[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the last queued message is due: later messages never overtake it. */
  private lastDue = 0;

  /** Sends now, or once `extraMs` (plus the injected delay) have passed and everything before it went. */
  push(send: () => void, extraMs = 0): void {
    const now = Date.now();
    const due = Math.max(now + this.delayMs + extraMs, this.lastDue);
    if (this.pending.length === 0 && due <= now) {
      send();
      return;
    }
    this.lastDue = due;
    this.pending.push({ due, send });
    if (this.pending.length === 1) this.arm();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.length = 0;
  }

  private arm(): void {
    const head = this.pending[0];
    if (head === undefined) return;
    this.timer = setTimeout(() => this.run(), Math.max(0, head.due - Date.now()));
  }

  private run(): void {
    this.timer = undefined;
    const now = Date.now();
    let n = 0;
    while (n < this.pending.length && this.pending[n]!.due <= now) n++;
    const ready = this.pending.splice(0, n);
    for (const p of ready) p.send();
    this.arm();
  }
}
