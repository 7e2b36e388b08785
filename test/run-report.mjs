// Loaded by test/run.mjs into each test file's process (`node --import`), before the file and uvu.
// uvu queues each suite's runner in globalThis.UVU_QUEUE (the global its own uvu/run API fills) and
// a runner resolves to [errors, passed, skipped, total]. This module owns that queue, wraps every
// runner queued in it, and at exit appends the sums to TEST_REPORT_FILE as one JSON line, so
// run.mjs counts tests from uvu's own results instead of reading its printed summary.
//
// `total - passed` is counted as failed: uvu itself reports a suite whose `before` hook threw as
// having no errors (the runner returns from `finally`), and exits 0.
import { appendFileSync } from 'node:fs';

const reportFile = process.env.TEST_REPORT_FILE;
const counts = { suites: 0, passed: 0, failed: 0, skipped: 0 };

const wrap = (runner) => async () => {
  const result = await runner();
  const [, passed, skipped, total] = result;
  counts.suites++;
  counts.passed += passed;
  counts.failed += total - passed;
  counts.skipped += skipped;
  return result;
};

/** An array whose push wraps the functions pushed into it (uvu pushes runners into a group). */
function group(items) {
  items.push = (...added) =>
    Array.prototype.push.apply(
      items,
      added.map((x) => (typeof x === 'function' ? wrap(x) : x)),
    );
  return items;
}

if (reportFile && !globalThis.UVU_QUEUE) {
  const queue = [];
  queue.push = (...groups) =>
    Array.prototype.push.apply(
      queue,
      groups.map((g) => group(g)),
    );
  globalThis.UVU_QUEUE = queue;
  // A file that runs itself again (test/emulator/memory.test.ts, with --expose-gc) passes
  // process.execArgv on, so the child reports too; run.mjs sums every line.
  process.on('exit', () => appendFileSync(reportFile, `${JSON.stringify({ pid: process.pid, ...counts })}\n`));
}
