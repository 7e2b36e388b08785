/**
 * Re-chunks wire PCM (16-bit LE at the wire rate; mono, or interleaved stereo with channel
 * identification) into steady frames, and holds frames that cannot be sent yet. Transcribe wants
 * uniform 50–200 ms chunks (docs, best practices); both classes reuse one buffer each, so the audio
 * path allocates no buffer per frame (only the views into them).
 */

/** Collects bytes and hands out full frames of `frameBytes` (a view into a reused buffer). */
export class AudioFramer {
  readonly frameBytes: number;
  readonly #buf: Uint8Array;
  #fill = 0;

  constructor(frameBytes: number) {
    if (!Number.isInteger(frameBytes) || frameBytes <= 0 || frameBytes % 2 !== 0) {
      throw new RangeError(`frameBytes must be a positive even integer, got ${frameBytes}`);
    }
    this.frameBytes = frameBytes;
    this.#buf = new Uint8Array(frameBytes);
  }

  /** Bytes waiting for a full frame. */
  get pending(): number {
    return this.#fill;
  }

  /** Add `bytes`; `sink` gets each completed frame (valid only during the call). */
  push(bytes: Uint8Array, sink: (frame: Uint8Array) => void): void {
    let i = 0;
    const n = bytes.length;
    const size = this.frameBytes;
    // Whole frames straight from the input when nothing is pending: no copy at all.
    if (this.#fill === 0) {
      while (n - i >= size) {
        sink(bytes.subarray(i, i + size));
        i += size;
      }
    }
    while (i < n) {
      const take = Math.min(size - this.#fill, n - i);
      this.#buf.set(bytes.subarray(i, i + take), this.#fill);
      this.#fill += take;
      i += take;
      if (this.#fill === size) {
        this.#fill = 0;
        sink(this.#buf);
      }
    }
  }

  /** Hand out what is pending (rounded down to whole samples) as a last short frame. */
  flush(sink: (frame: Uint8Array) => void): void {
    const n = this.#fill & ~1;
    this.#fill = 0;
    if (n > 0) sink(this.#buf.subarray(0, n));
  }
}

/**
 * A bounded FIFO of PCM bytes for audio that arrives while no stream is open. When full, the
 * oldest audio goes first (the newest speech matters most to a live conversation), counted in
 * `droppedBytes`. Storage is one ring allocated on first use.
 */
export class AudioBacklog {
  readonly capacity: number;
  #ring: Uint8Array | undefined;
  #start = 0;
  #size = 0;
  droppedBytes = 0;

  constructor(capacityBytes: number) {
    this.capacity = Math.max(0, Math.floor(capacityBytes / 2) * 2);
  }

  get size(): number {
    return this.#size;
  }

  /** Append bytes; returns how many older bytes had to be dropped to make room. */
  push(bytes: Uint8Array): number {
    const cap = this.capacity;
    // Of a push larger than the ring only its newest bytes fit; then the oldest give way.
    const keep = Math.min(bytes.length, cap);
    const overflow = Math.max(0, this.#size + keep - cap);
    const dropped = bytes.length - keep + overflow;
    this.droppedBytes += dropped;
    if (keep > 0) {
      const ring = (this.#ring ??= new Uint8Array(cap));
      this.#start = (this.#start + overflow) % cap;
      this.#size -= overflow;
      const end = (this.#start + this.#size) % cap;
      const first = Math.min(keep, cap - end);
      const src = bytes.subarray(bytes.length - keep);
      ring.set(src.subarray(0, first), end);
      ring.set(src.subarray(first), 0);
      this.#size += keep;
    }
    return dropped;
  }

  /** Copy up to `out.length` bytes from the front into `out` without removing them; returns how many. */
  peekInto(out: Uint8Array): number {
    const ring = this.#ring;
    if (!ring || this.#size === 0) return 0;
    const n = Math.min(out.length, this.#size);
    const first = Math.min(n, this.capacity - this.#start);
    out.set(ring.subarray(this.#start, this.#start + first), 0);
    if (first < n) out.set(ring.subarray(0, n - first), first);
    return n;
  }

  /** Remove `n` bytes from the front (after they were sent). */
  discard(n: number): void {
    const k = Math.min(n, this.#size);
    if (k === 0) return;
    this.#start = (this.#start + k) % this.capacity;
    this.#size -= k;
  }

  clear(): void {
    this.#start = 0;
    this.#size = 0;
  }
}
