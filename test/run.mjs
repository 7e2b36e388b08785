// Runs every test/**/*.test.ts file as its own Node process (uvu suites, TypeScript run by Node's
// type stripping), two at a time, collects V8 coverage for c8, and ends with the one line CI reads:
// `N passed, N failed`. Usage: node test/run.mjs [substring filters...]
import { spawn, execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);
const timeoutMs = Number(process.env.TEST_TIMEOUT_MS ?? 600_000);
const coverageDir = join(root, 'coverage', `tmp-${process.pid}`);
const withCoverage = process.env.NO_COVERAGE !== '1';

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...find(path));
    else if (/\.test\.(ts|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

const files = find(join(root, 'test')).filter(
  (f) => filters.length === 0 || filters.some((p) => relative(root, f).includes(p)),
);
if (files.length === 0) {
  console.log(`no test file matches ${filters.join(' ')}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const strip = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');
const field = (text, name) => {
  const m = new RegExp(`^\\s*${name}:\\s+(\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
};

function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [file], {
      cwd: root,
      env: {
        ...process.env,
        FORCE_COLOR: '0',
        NO_COLOR: '1',
        ...(withCoverage ? { NODE_V8_COVERAGE: coverageDir } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n[run] ${relative(root, file)} timed out after ${timeoutMs} ms; killed\n`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const text = strip(output);
      const total = field(text, 'Total');
      const passed = field(text, 'Passed');
      const skipped = field(text, 'Skipped');
      let failed = total - passed - skipped;
      if ((code !== 0 || signal) && failed === 0) failed = 1;
      resolve({ file, text, passed, failed, skipped, ms: Date.now() - started });
    });
  });
}

const results = [];
const queue = [...files];
const workers = Array.from({ length: Math.min(availableParallelism(), queue.length) }, async () => {
  for (let file = queue.shift(); file; file = queue.shift()) {
    const r = await runFile(file);
    results.push(r);
    const status = r.failed ? 'FAIL' : 'ok  ';
    console.log(`${status} ${relative(root, file)}  ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped (${(r.ms / 1000).toFixed(1)} s)`);
    if (r.failed || process.env.TEST_VERBOSE === '1') console.log(r.text.replace(/^/gm, '     | '));
    else for (const line of r.text.split('\n')) if (/^\s*(skip|note):/i.test(line)) console.log(`     ${line.trim()}`);
  }
});
await Promise.all(workers);

if (withCoverage) {
  try {
    const c8 = join(root, 'node_modules', '.bin', 'c8');
    const report = execFileSync(c8, ['report', '--temp-directory', coverageDir, '--reporter=text-summary', '--reporter=lcov',
      '--src', 'core', '--src', 'dsp', '--src', 'adapters', '--src', 'emulator',
      '--include', 'dist/**', '--exclude', 'test/**', '--exclude', 'bench/**'], { cwd: root, encoding: 'utf8' });
    console.log(report.trim());
    rmSync(coverageDir, { recursive: true, force: true });
  } catch (err) {
    console.log(`coverage report failed: ${err.message}`);
  }
}

const sum = (k) => results.reduce((n, r) => n + r[k], 0);
const skipped = sum('skipped');
console.log(`${sum('passed')} passed, ${sum('failed')} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(sum('failed') ? 1 : 0);
