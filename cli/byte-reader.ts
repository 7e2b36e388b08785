/**
 * Pull-style reading over a push-style byte stream (a file or stdin): exact-size reads for the WAV
 * header, skips for chunks nobody needs, and block reads into the caller's buffer for the audio.
 * Chunks are kept as they arrive and copied once, into the caller's buffer.
 */

export class ByteReader {
  readonly #iterator: AsyncIterator<Uint8Array>;
  readonly #queue: Uint8Array[] = [];
  #head = 0;
  #buffered = 0;
  #ended = false;
  #closed = false;
  /** Bytes consumed so far (read or skipped). */
  position = 0;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#iterator = source[Symbol.asyncIterator]();
  }

  /** Buffers at least `n` bytes unless the stream ends first; returns how many are buffered. */
  async ensure(n: number): Promise<number> {
    while (this.#buffered < n && !this.#ended) {
      const next = await this.#iterator.next();
      if (this.#closed) break;
      if (next.done) {
        this.#ended = true;
        break;
      }
      const chunk = next.value;
      if (chunk.length === 0) continue;
      this.#queue.push(chunk);
      this.#buffered += chunk.length;
    }
    return this.#buffered;
  }

  /** A copy of the first `n` buffered bytes (fewer if fewer are buffered), not consumed. */
  peek(n: number): Uint8Array {
    const out = new Uint8Array(Math.min(n, this.#buffered));
    this.#copy(out, out.length, false);
    return out;
  }

  /** The next `n` bytes (fewer only at the end of the stream). */
  async read(n: number): Promise<Uint8Array> {
    await this.ensure(n);
    const out = new Uint8Array(Math.min(n, this.#buffered));
    this.#copy(out, out.length, true);
    return out;
  }

  /** Fills `out` (up to `limit` bytes); returns the count, short only at the end of the stream. */
  async readInto(out: Uint8Array, limit: number = out.length): Promise<number> {
    const want = Math.min(limit, out.length);
    await this.ensure(want);
    const n = Math.min(want, this.#buffered);
    this.#copy(out, n, true);
    return n;
  }

  /** Drops `n` bytes; returns how many there were. */
  async skip(n: number): Promise<number> {
    let left = n;
    while (left > 0) {
      if (this.#buffered === 0 && (await this.ensure(1)) === 0) break;
      const first = this.#queue[0]!;
      const take = Math.min(left, first.length - this.#head);
      this.#advance(take);
      left -= take;
    }
    return n - left;
  }

  /**
   * Stops reading; later reads see the end of the stream. Not awaited: a stream iterator parked in
   * a read (an idle stdin pipe) only returns once that read completes, which may be never.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ended = true;
    this.#queue.length = 0;
    this.#buffered = 0;
    this.#iterator.return?.()?.catch(() => undefined);
  }

  #copy(out: Uint8Array, n: number, consume: boolean): void {
    let at = 0;
    let qi = 0;
    let head = this.#head;
    while (at < n) {
      const chunk = this.#queue[qi]!;
      const take = Math.min(n - at, chunk.length - head);
      out.set(chunk.subarray(head, head + take), at);
      at += take;
      head += take;
      if (head === chunk.length) {
        qi++;
        head = 0;
      }
    }
    if (consume) this.#advance(n);
  }

  #advance(n: number): void {
    let left = n;
    this.#buffered -= n;
    this.position += n;
    while (left > 0) {
      const chunk = this.#queue[0]!;
      const take = Math.min(left, chunk.length - this.#head);
      this.#head += take;
      left -= take;
      if (this.#head === chunk.length) {
        this.#queue.shift();
        this.#head = 0;
      }
    }
  }
}
