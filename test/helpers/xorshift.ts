/**
 * A seeded xorshift32 generator (Marsaglia's 13/17/5): a property test draws the same cases on
 * every run, so a failure replays. (The fuzz targets have their own, test/fuzz/rng.ts.)
 */
export class Xorshift32 {
  #s: number;

  constructor(seed: number) {
    this.#s = seed;
  }

  /** The next value, an unsigned 32-bit integer. */
  next(): number {
    let s = this.#s;
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    this.#s = s;
    return s >>> 0;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return this.next() % n;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)]!;
  }
}
