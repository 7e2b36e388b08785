// How a fuzz target runs, from the environment:
//   FUZZ_SEED  the run's seed (default fixed, so `npm test` is repeatable; `random` picks one and prints it)
//   FUZZ_CASES how many inputs (default: each target's modest count; `npm run fuzz` sets a large one)
//   FUZZ_CASE  run only this case of the seed (to replay a failure alone)
import { mixSeed, Rng } from './rng.ts';

export interface FuzzConfig {
  readonly target: string;
  readonly seed: number;
  /** Cases to run: 0..cases-1, or only `only`. */
  readonly cases: number;
  readonly only: number | undefined;
  /** A long run (FUZZ_CASES given): shrink harder. */
  readonly long: boolean;
}

export const DEFAULT_SEED = 20260614;

/**
 * `costPerCase` converts FUZZ_CASES (a count of inputs: byte streams, messages) into cases of this
 * target, for targets whose case is a sequence of inputs (a service session of ~25 messages).
 */
export function fuzzConfig(target: string, defaultCases: number, costPerCase = 1): FuzzConfig {
  const env = process.env;
  const rawSeed = env.FUZZ_SEED;
  const seed =
    rawSeed === undefined || rawSeed === ''
      ? DEFAULT_SEED
      : rawSeed === 'random'
        ? (Math.random() * 0x100000000) >>> 0
        : Number(rawSeed) >>> 0;
  if (rawSeed !== undefined && rawSeed !== 'random' && rawSeed !== '' && !/^\d+$/.test(rawSeed)) {
    throw new Error(`FUZZ_SEED must be an unsigned integer or "random", got ${JSON.stringify(rawSeed)}`);
  }
  const long = env.FUZZ_CASES !== undefined && env.FUZZ_CASES !== '';
  const cases = long ? Math.max(1, Math.ceil(Number(env.FUZZ_CASES) / costPerCase)) : defaultCases;
  if (!Number.isFinite(cases)) throw new Error(`FUZZ_CASES must be a number, got ${JSON.stringify(env.FUZZ_CASES)}`);
  const only = env.FUZZ_CASE !== undefined && env.FUZZ_CASE !== '' ? Number(env.FUZZ_CASE) : undefined;
  return { target, seed, cases, only, long };
}

/** The case numbers to run. */
export function caseNumbers(c: FuzzConfig): number[] {
  if (c.only !== undefined) return [c.only];
  return Array.from({ length: c.cases }, (_, i) => i);
}

/** Each case's own generator: replaying case `i` needs only the seed and `i`. */
export function caseRng(seed: number, i: number): Rng {
  return new Rng(mixSeed(seed, i));
}

export function replayHint(c: FuzzConfig, caseNumber: number): string {
  // Targets are named fuzz-<file>; the file is test/fuzz/<file>.test.ts.
  const file = `test/fuzz/${c.target.replace(/^fuzz-/, '')}.test.ts`;
  return `FUZZ_SEED=${c.seed} FUZZ_CASE=${caseNumber} NO_COVERAGE=1 node test/run.mjs ${file}`;
}

/** One line that test/run.mjs shows even when the file passes (it prints lines starting with `note:`). */
export function note(c: FuzzConfig, text: string): void {
  console.log(`note: ${c.target}: ${text} (seed ${c.seed})`);
}
