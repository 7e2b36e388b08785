/**
 * Delivery to the application: typed listeners, plus an async iterator of frames. The iterator
 * queues only while someone iterates, so an unread service never grows memory.
 */

import type { Frame, ServiceEvents } from './frames.js';

type Listener<T> = (payload: T) => void;

export class ServiceEmitter {
  readonly #listeners = new Map<keyof ServiceEvents, Set<Listener<never>>>();
  readonly #iterators = new Set<FrameQueue>();
  #onListenerError: (err: unknown) => void;

  constructor(onListenerError: (err: unknown) => void) {
    this.#onListenerError = onListenerError;
  }

  on<K extends keyof ServiceEvents>(name: K, fn: Listener<ServiceEvents[K]>): () => void {
    let set = this.#listeners.get(name);
    if (!set) this.#listeners.set(name, (set = new Set()));
    set.add(fn as Listener<never>);
    return () => void set.delete(fn as Listener<never>);
  }

  listenerCount(name: keyof ServiceEvents): number {
    return this.#listeners.get(name)?.size ?? 0;
  }

  get iterating(): boolean {
    return this.#iterators.size > 0;
  }

  emit<K extends keyof ServiceEvents>(name: K, payload: ServiceEvents[K]): void {
    const set = this.#listeners.get(name) as Set<Listener<ServiceEvents[K]>> | undefined;
    if (set) {
      for (const fn of set) {
        // A throwing listener must not break the audio path or other listeners.
        try {
          fn(payload);
        } catch (err) {
          this.#onListenerError(err);
        }
      }
    }
  }

  /** Give a frame to every active `frames()` iterator. */
  enqueue(frame: Frame): void {
    for (const q of this.#iterators) q.push(frame);
  }

  frames(): AsyncIterableIterator<Frame> {
    const q = new FrameQueue(() => this.#iterators.delete(q));
    this.#iterators.add(q);
    return q;
  }

  /** End every iterator (after stop/cancel): they finish once drained. */
  end(): void {
    for (const q of this.#iterators) q.end();
  }
}

class FrameQueue implements AsyncIterableIterator<Frame> {
  #items: Frame[] = [];
  #head = 0;
  #waiting: ((r: IteratorResult<Frame>) => void) | undefined;
  #ended = false;
  readonly #detach: () => void;

  constructor(detach: () => void) {
    this.#detach = detach;
  }

  push(frame: Frame): void {
    if (this.#ended) return;
    const w = this.#waiting;
    if (w) {
      this.#waiting = undefined;
      w({ value: frame, done: false });
    } else {
      this.#items.push(frame);
    }
  }

  end(): void {
    this.#ended = true;
    this.#detach();
    const w = this.#waiting;
    if (w && this.#head >= this.#items.length) {
      this.#waiting = undefined;
      w({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<Frame>> {
    if (this.#head < this.#items.length) {
      const value = this.#items[this.#head++]!;
      if (this.#head > 64 && this.#head * 2 > this.#items.length) {
        this.#items = this.#items.slice(this.#head);
        this.#head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.#waiting = resolve));
  }

  return(): Promise<IteratorResult<Frame>> {
    this.end();
    this.#items = [];
    this.#head = 0;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Frame> {
    return this;
  }
}
