// `npm run fuzz`: the fuzz targets (test/fuzz/*.test.ts) with many more cases than `npm test` and a
// fresh seed each run, printed so a failure can be replayed. Usage:
//   npm run fuzz [-- decoder|server-message|delivery ...]
//   FUZZ_SEED=123 FUZZ_CASES=200000 npm run fuzz        (replay a run)
//   FUZZ_SEED=123 FUZZ_CASE=42 npm run fuzz -- decoder   (replay one case: printed with each finding)
import { spawnSync } from 'node:child_process';

const seed = process.env.FUZZ_SEED || String((Math.random() * 2 ** 32) >>> 0);
const cases = process.env.FUZZ_CASES || '200000';
const targets = process.argv.slice(2);
console.log(
  `fuzz: seed ${seed}, FUZZ_CASES ${cases} (replay: FUZZ_SEED=${seed} FUZZ_CASES=${cases} npm run ` +
    `fuzz${targets.length ? ` -- ${targets.join(' ')}` : ''})`,
);
const filters = targets.length ? targets.map((t) => `test/fuzz/${t}.test.ts`) : ['test/fuzz/'];
const run = spawnSync(process.execPath, [new URL('../run.mjs', import.meta.url).pathname, ...filters], {
  stdio: 'inherit',
  env: {
    ...process.env,
    FUZZ_SEED: seed,
    FUZZ_CASES: cases,
    NO_COVERAGE: '1',
    TEST_TIMEOUT_MS: process.env.TEST_TIMEOUT_MS ?? '7200000',
  },
});
process.exit(run.status ?? 1);
