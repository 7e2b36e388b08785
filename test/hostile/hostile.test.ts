// The hostile-server suite (issue 14, "Must show"): every scenario runs in its own Node process
// (`node test/hostile/<file>.ts`), so a crash is a failed scenario, not a lost runner. Two run at
// a time; each prints one JSON report, and its secrets come back on fd 3 so stdout and stderr can
// be searched for them. A failing scenario prints its report and stderr, scrubbed of secrets.
// HOSTILE_ONLY=name,name runs the scenarios whose names contain one of those.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'uvu';
import { CASES, DEADLINE_MS } from './cases.ts';
import type { Case } from './cases.ts';
import { Checks } from './checks.ts';
import type { Outcome } from './checks.ts';
import type { Report } from './report.ts';
import { scrub } from './secrets.ts';
import type { Secret } from './secrets.ts';

const root = new URL('../..', import.meta.url).pathname;
const CONCURRENCY = 2;
const only = process.env.HOSTILE_ONLY?.split(',').filter(Boolean);
const cases = only ? CASES.filter((c) => only.some((o) => c.name.includes(o))) : CASES;

function runChild(c: Case): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', join(root, 'test/hostile', c.file), ...(c.args ?? [])], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let fd3 = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8').on('data', (d: string) => (fd3 += d));
    // The child's own watchdog (a timer) reports at its deadline; a child still silent 5 s later
    // has its event loop blocked: a synchronous loop somewhere.
    let killed = false;
    const kill = setTimeout(
      () => {
        killed = true;
        child.kill('SIGKILL');
      },
      (c.deadlineMs ?? DEADLINE_MS) + 5_000,
    );
    child.on('close', (exitCode, signal) => {
      clearTimeout(kill);
      let secrets: Secret[] = [];
      try {
        secrets = JSON.parse(fd3) as Secret[];
      } catch {
        // no secrets reported: the child died before its report
      }
      let report: Report | undefined;
      for (const line of stdout.trim().split('\n').reverse()) {
        try {
          const r = JSON.parse(line) as Report;
          if (typeof r.scenario === 'string') {
            report = r;
            break;
          }
        } catch {
          // not the report line
        }
      }
      if (killed)
        stderr +=
          `\n[runner] killed: no report 5 s after the child's deadline, so its event loop was blocked (a ` +
          `synchronous loop)`;
      resolve({ report, exitCode, signal, stdout, stderr, secrets, ms: Date.now() - started });
    });
  });
}

/** Every case started from a queue, CONCURRENCY at a time, slow ones first; tests await theirs. */
const outcomes = new Map<string, Promise<Outcome>>();
{
  const queue = [...cases].sort((a, b) => (b.deadlineMs ?? 0) - (a.deadlineMs ?? 0));
  const waiters = new Map<string, (o: Outcome) => void>();
  for (const c of cases) outcomes.set(c.name, new Promise((r) => waiters.set(c.name, r)));
  const worker = async (): Promise<void> => {
    for (let c = queue.shift(); c; c = queue.shift()) waiters.get(c.name)!(await runChild(c));
  };
  for (let i = 0; i < CONCURRENCY; i++) void worker();
}

function trimmed(text: string, secrets: Secret[], max: number): string {
  const t = scrub(text, secrets).trim();
  return t.length > max ? `…${t.slice(-max)}` : t;
}

const summary: string[] = [];

for (const c of cases) {
  test(`${c.name}: ${c.why}`, async () => {
    const o = await outcomes.get(c.name)!;
    const failures: string[] = [];
    if (!o.report) {
      failures.push(
        `no report from the child (exit ` +
          `${o.signal ?? o.exitCode})${o.stderr.includes('[runner] killed') ? ': its event loop was blocked' : ''}`,
      );
    } else {
      const checks = new Checks(o, o.report);
      checks.common();
      try {
        c.check(checks);
      } catch (e) {
        checks.failures.push(`check threw: ${String(e)}`);
      }
      failures.push(...checks.failures);
    }
    summary.push(
      `${failures.length ? 'FAIL' : 'PASS'} ${c.name} (${(o.ms / 1000).toFixed(1)} ` +
        `s)${failures.length ? `: ${failures[0]}` : ''}`,
    );
    if (!failures.length) return;
    const report = o.report ? JSON.stringify(o.report, null, 1) : o.stdout;
    console.log(
      [
        `---- ${c.name}: ${failures.length} failure(s)`,
        ...failures.map((f) => `  - ${scrub(f, o.secrets)}`),
        `  report: ${trimmed(report, o.secrets, 5000).replace(/\n/g, '\n  ')}`,
        `  stderr: ${trimmed(o.stderr, o.secrets, 1500).replace(/\n/g, '\n  ') || '(empty)'}`,
      ].join('\n'),
    );
    throw new Error(`${c.name}: ${scrub(failures.join('; '), o.secrets).slice(0, 600)}`);
  });
}

test('summary', () => {
  console.log(`note: hostile scenarios\n${summary.map((s) => `note:   ${s}`).join('\n')}`);
});

test.run();
