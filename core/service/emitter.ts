/**
 * Delivery to the application: typed listeners, plus async iterators of frames. An iterator
 * queues frames only from its creation until it ends (return(), or the run's end), and at most
 * MAX_QUEUED_FRAMES of them, so a reader that stops reading cannot grow memory without bound.
 */

import type { Frame, ServiceEvents } from './frames.js';

type Listener<T> = (payload: T) => void;
/** Feeds one iterator a frame; no frame ends it (once drained). */
type Feed = (frame?: Frame) => void;

const DONE: IteratorResult<Frame> = { value: undefined, done: true };

/**
 * What an iterator keeps for a reader that has stopped reading (without return()): at most this many
 * frames, and transcripts of at most MAX_QUEUED_TEXT characters in all (a result's items grow with
 * its text). Past either, the oldest interim goes first (a later one supersedes it), then the
 * oldest frame; the loss is said.
 */
export const MAX_QUEUED_FRAMES = 1000;
const MAX_QUEUED_TEXT = 1_000_000;

const textOf = (f: Frame): number =>
  f.type === 'transcription' || f.type === 'interimTranscription' ? f.text.length : 0;

/** An iterator's queue of frames, bounded as above. */
class FrameQueue {
  readonly #items: Frame[] = [];
  #text = 0;

  get length(): number {
    return this.#items.length;
  }

  shift(): Frame | undefined {
    const f = this.#items.shift();
    if (f) this.#text -= textOf(f);
    return f;
  }

  clear(): void {
    this.#items.length = 0;
    this.#text = 0;
  }

  /** Queue `frame`; true when older frames had to go. */
  push(frame: Frame): boolean {
    const items = this.#items;
    items.push(frame);
    this.#text += textOf(frame);
    let dropped = false;
    while (items.length > 1 && (items.length > MAX_QUEUED_FRAMES || this.#text > MAX_QUEUED_TEXT)) {
      const interim = items.findIndex((f) => f.type === 'interimTranscription');
      const [gone] = items.splice(interim >= 0 && interim < items.length - 1 ? interim : 0, 1);
      this.#text -= textOf(gone!);
      dropped = true;
    }
    return dropped;
  }
}

export class ServiceEmitter {
  readonly #listeners = new Map<keyof ServiceEvents, Set<Listener<never>>>();
  readonly #feeds = new Set<Feed>();
  readonly #onListenerError: (err: unknown) => void;
  readonly #warn: (message: string) => void;
  #overflowTold = false;
  /** An iterator's reader fell MAX_QUEUED_FRAMES behind and frames were dropped: said once. */
  readonly #onOverflow = (): void => {
    if (this.#overflowTold) return;
    this.#overflowTold = true;
    const behind = `a frames() reader fell ${MAX_QUEUED_FRAMES} frames behind`;
    this.#warn(`${behind}: its oldest frames are dropped (read it, or return() it)`);
  };

  constructor(onListenerError: (err: unknown) => void, warn: (message: string) => void = () => {}) {
    this.#onListenerError = onListenerError;
    this.#warn = warn;
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
    const items = new FrameQueue();
    // The next() calls waiting for a frame, oldest first (a caller may ask again before one came).
    const waiting: ((r: IteratorResult<Frame>) => void)[] = [];
    let ended = false;
    const feed: Feed = (frame) => {
      if (ended) return;
      if (!frame) {
        ended = true;
        this.#feeds.delete(feed);
        for (const wake of waiting.splice(0)) wake(DONE);
        return;
      }
      const wake = waiting.shift();
      if (wake) wake({ value: frame, done: false });
      else if (items.push(frame)) this.#onOverflow();
    };
    this.#feeds.add(feed);
    const it: AsyncIterableIterator<Frame> = {
      next: () => {
        if (items.length) return Promise.resolve({ value: items.shift()!, done: false });
        if (ended) return Promise.resolve(DONE);
        return new Promise((r) => waiting.push(r));
      },
      return: () => {
        feed();
        items.clear();
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
