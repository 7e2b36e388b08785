/**
 * Delivery to the application: typed listeners, plus async iterators of frames. An iterator
 * queues only while someone iterates, so an unread service never grows memory.
 */

import type { Frame, ServiceEvents } from './frames.js';

type Listener<T> = (payload: T) => void;
/** Feeds one iterator a frame; no frame ends it (once drained). */
type Feed = (frame?: Frame) => void;

const DONE: IteratorResult<Frame> = { value: undefined, done: true };

export class ServiceEmitter {
  readonly #listeners = new Map<keyof ServiceEvents, Set<Listener<never>>>();
  readonly #feeds = new Set<Feed>();
  readonly #onListenerError: (err: unknown) => void;

  constructor(onListenerError: (err: unknown) => void) {
    this.#onListenerError = onListenerError;
  }

  on<K extends keyof ServiceEvents>(name: K, fn: Listener<ServiceEvents[K]>): () => void {
    let set = this.#listeners.get(name);
    if (!set) this.#listeners.set(name, (set = new Set()));
    set.add(fn as Listener<never>);
    return () => void set.delete(fn as Listener<never>);
  }

  /** Call the listeners of `name`; true when there was one. */
  emit<K extends keyof ServiceEvents>(name: K, payload: ServiceEvents[K]): boolean {
    const set = this.#listeners.get(name) as Set<Listener<ServiceEvents[K]>> | undefined;
    for (const fn of set ?? []) {
      // A throwing listener must not break the audio path or other listeners.
      try {
        fn(payload);
      } catch (err) {
        this.#onListenerError(err);
      }
    }
    return !!set?.size;
  }

  /** Give a frame to its listeners and every `frames()` iterator; true when anyone got it. */
  frame(frame: Frame): boolean {
    const iterating = this.#feeds.size > 0;
    for (const feed of this.#feeds) feed(frame);
    return this.emit(frame.type, frame as never) || iterating;
  }

  frames(): AsyncIterableIterator<Frame> {
    const items: Frame[] = [];
    // Set only while `next()` waits, which it does only with nothing queued.
    let wake: ((r: IteratorResult<Frame>) => void) | undefined;
    let ended = false;
    const feed: Feed = (frame) => {
      if (ended) return;
      if (!frame) {
        ended = true;
        this.#feeds.delete(feed);
      } else if (!wake) {
        items.push(frame);
        return;
      }
      wake?.(frame ? { value: frame, done: false } : DONE);
      wake = undefined;
    };
    this.#feeds.add(feed);
    const it: AsyncIterableIterator<Frame> = {
      next: () =>
        items.length
          ? Promise.resolve({ value: items.shift()!, done: false })
          : ended
            ? Promise.resolve(DONE)
            : new Promise((r) => (wake = r)),
      return: () => {
        feed();
        items.length = 0;
        return Promise.resolve(DONE);
      },
      [Symbol.asyncIterator]: () => it,
    };
    return it;
  }

  /** End every iterator (after stop/cancel): they finish once drained. */
  end(): void {
    for (const feed of this.#feeds) feed();
  }
}
