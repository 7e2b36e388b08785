// The test runner behind `npm test` and `npm run test:unit`.
//
// Every test/**/*.test.ts file (uvu suites, TypeScript run by Node's type stripping) runs in its own
// Node process, os.availableParallelism() files at once (TEST_JOBS to change that). Results come from
// uvu, not from its printed text: test/run-report.mjs, loaded into each process with --import, sums
// what each suite's runner returns (passed, skipped, total) into a report file. The exit code backs it
// up: a file that exits non-zero, is killed, or reports no suite at all counts as at least one failure,
// so a crash outside a test or a file that never calls `.run()` cannot pass.
//
// Usage:
//   node test/run.mjs                 every test file, with coverage and its thresholds (npm test)
//   node test/run.mjs --unit          the fast files only (UNIT below), no coverage (npm run test:unit)
//   node test/run.mjs <filter>...     the files whose path from the repo root contains any filter
//
// Environment:
//   TEST_TIMEOUT_MS  per file, default 600000; a file still running then is killed and counts as failed
//   TEST_JOBS        files run at once, default os.availableParallelism(); the slowest files of the
//                    last runs start first (their times: .test-times.json, git-ignored)
//   NO_COVERAGE=1    no V8 coverage and no c8 report (faster; --unit implies it)
//   TEST_VERBOSE=1   print every file's output, not only a failing file's (its `skip:` and `note:`
//                    lines are always shown)
//   Read by test files themselves: FUZZ_SEED, FUZZ_CASES, FUZZ_CASE (test/fuzz/config.ts),
//   HOSTILE_ONLY (test/hostile/hostile.test.ts), PLAYWRIGHT_CHROMIUM_EXECUTABLE (test/runtimes/browser.test.ts).
//
// Coverage: with coverage on, c8 reports over the built dist/ files mapped back to their sources. When
// every file ran (no filter), lines and branches below THRESHOLDS fail the run, counted as one failed
// check and named on the line before the total.
//
// The last line is always `N passed, N failed` (`, N skipped` after it when uvu skipped some): .ci/run
// greps a line that starts that way. The exit code is 1 when anything failed.
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The fast files: the protocol core, the service against fakes and virtual time, DSP, the layering. */
const UNIT = ['test/core/', 'test/dsp/', 'test/system/architecture.test.ts'];
/** Today's level (issue 17); a full run below either fails. */
const THRESHOLDS = { lines: 97, branches: 89 };

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const unit = args.includes('--unit');
const filters = args.filter((a) => a !== '--unit');
const timeoutMs = Number(process.env.TEST_TIMEOUT_MS ?? 600_000);
const jobs = Math.max(1, Number(process.env.TEST_JOBS) || availableParallelism());
const withCoverage = process.env.NO_COVERAGE !== '1' && !unit;
const enforceThresholds = withCoverage && filters.length === 0;
const work = join(root, 'coverage', `tmp-${process.pid}`);
const reports = join(work, 'reports');
const coverageDir = join(work, 'v8');
const preload = pathToFileURL(join(root, 'test', 'run-report.mjs')).href;

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...find(path));
    else if (/\.test\.(ts|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

const posix = (f) => relative(root, f).split(sep).join('/');
const selected = (f) => {
  const path = posix(f);
  if (unit && !UNIT.some((u) => path.startsWith(u))) return false;
  return filters.length === 0 || filters.some((p) => path.includes(p));
};
const files = find(join(root, 'test')).filter(selected);
if (files.length === 0) {
  console.log(`no test file matches ${args.join(' ')}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
rmSync(work, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

/** The sums test/run-report.mjs wrote for one file (every process of it: a file may run itself again). */
function readReport(file) {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined; // the process died before its exit handler ran
  }
  const sum = { suites: 0, passed: 0, failed: 0, skipped: 0 };
  for (const line of text.split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line);
    for (const k of Object.keys(sum)) sum[k] += r[k];
  }
  return sum;
}

let started = 0;
function runFile(file) {
  return new Promise((resolve) => {
    const begun = Date.now();
    const reportFile = join(reports, `${started++}.jsonl`);
    const child = spawn(process.execPath, ['--import', preload, file], {
      cwd: root,
      env: {
        ...process.env,
        FORCE_COLOR: '0',
        NO_COLOR: '1',
        TEST_REPORT_FILE: reportFile,
        ...(withCoverage ? { NODE_V8_COVERAGE: coverageDir } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n[run] ${posix(file)} timed out after ${timeoutMs} ms; killed\n`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const report = readReport(reportFile) ?? { suites: 0, passed: 0, failed: 0, skipped: 0 };
      let { failed } = report;
      if (report.suites === 0) output += `\n[run] ${posix(file)} ran no uvu suite (no report, or no .run())\n`;
      if (code !== 0 || signal) output += `\n[run] ${posix(file)} exited with ${signal ?? `code ${code}`}\n`;
      if (code === 0 && !signal && report.failed > 0) {
        output += `\n[run] ${report.failed} test(s) did not pass, no failure printed (a before/after hook threw?)\n`;
      }
      if ((code !== 0 || signal || report.suites === 0) && failed === 0) failed = 1;
      resolve({ file, text: output, passed: report.passed, failed, skipped: report.skipped, ms: Date.now() - begun });
    });
  });
}

// Longest first, by the durations the last runs measured (unknown files count as long): the slow
// files then overlap the fast ones instead of finishing alone at the end.
// Per checkout (node_modules may be shared between worktrees), git-ignored.
const timesFile = join(root, '.test-times.json');
let lastTimes = {};
try {
  lastTimes = JSON.parse(readFileSync(timesFile, 'utf8'));
} catch {
  // first run, or the cache was cleared: alphabetical order
}
const lastMs = (f) => lastTimes[posix(f)] ?? Infinity;
const results = [];
const queue = [...files].sort((a, b) => lastMs(b) - lastMs(a));
const workers = Array.from({ length: Math.min(jobs, queue.length) }, async () => {
  for (let file = queue.shift(); file; file = queue.shift()) {
    const r = await runFile(file);
    results.push(r);
    const status = r.failed ? 'FAIL' : 'ok  ';
    const seconds = (r.ms / 1000).toFixed(1);
    const counts = `${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`;
    console.log(`${status} ${posix(file)}  ${counts} (${seconds} s)`);
    if (r.failed || process.env.TEST_VERBOSE === '1') console.log(r.text.replace(/^/gm, '     | '));
    else {
      for (const line of r.text.split('\n')) if (/^\s*(skip|note):/i.test(line)) console.log(`     ${line.trim()}`);
    }
  }
});
await Promise.all(workers);

/** Checks that are not test files (coverage); each failure counts as one failed. */
const failedChecks = [];
if (withCoverage) {
  const c8 = join(root, 'node_modules', 'c8', 'bin', 'c8.js');
  const scope = [
    '--temp-directory',
    coverageDir,
    '--src',
    'core',
    '--src',
    'dsp',
    '--src',
    'adapters',
    '--src',
    'emulator',
    '--include',
    'dist/**',
    '--exclude',
    'test/**',
    '--exclude',
    'bench/**',
  ];
  const c8run = (command, extra) =>
    spawnSync(process.execPath, [c8, command, ...scope, ...extra], { cwd: root, encoding: 'utf8' });
  const report = c8run('report', ['--reporter=text-summary', '--reporter=lcov']);
  console.log(`${report.stdout}${report.stderr}`.trim());
  if (report.status !== 0) failedChecks.push(`coverage report failed (c8 exit ${report.status ?? report.signal})`);
  else if (enforceThresholds) {
    const { lines, branches } = THRESHOLDS;
    const check = c8run('check-coverage', ['--lines', String(lines), '--branches', String(branches)]);
    const said = `${check.stdout}${check.stderr}`.trim().replace(/\s*\n\s*/g, '; ');
    const what = `(lines ${lines} %, branches ${branches} %)`;
    if (check.status !== 0) failedChecks.push(`coverage below the thresholds ${what}: ${said}`);
    else console.log(`coverage thresholds met ${what}`);
  }
}
rmSync(work, { recursive: true, force: true });
try {
  for (const r of results) lastTimes[posix(r.file)] = r.ms;
  writeFileSync(timesFile, `${JSON.stringify(lastTimes, null, 1)}\n`);
} catch {
  // a read-only checkout: the order only matters for speed
}

const sum = (k) => results.reduce((n, r) => n + r[k], 0);
const failedFiles = results.filter((r) => r.failed).map((r) => posix(r.file));
for (const what of [...failedFiles, ...failedChecks]) console.log(`failed: ${what}`);
const failed = sum('failed') + failedChecks.length;
const skipped = sum('skipped');
console.log(`${sum('passed')} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
