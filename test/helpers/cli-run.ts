// Runs the built transcribe-stream command as a user would: a child process of this Node (the
// project's Node 22), in a clean environment with no AWS configuration, with stdout and stderr
// collected, and the time it took to exit after a given moment (signals).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname;
export const CLI = join(root, 'dist/cli/bin.js');
export const SAMPLE = join(root, 'emulator/sample/demo.wav');
export const SCRIPT_FILE = join(root, 'emulator/sample/demo.txt');
export const TRANSCRIPT = readFileSync(SCRIPT_FILE, 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment of a user with no AWS configuration at all (this machine's own is not used). */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k];
  return { ...env, ...extra };
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  stdin?: Uint8Array;
  /** Keep stdin open (a live source) instead of ending it. */
  keepStdin?: boolean;
  /** Another Node binary (the Node version check). */
  node?: string;
  /** Another copy of the command (an installed package). */
  bin?: string;
  cwd?: string;
  onStdout?: (text: string, child: ChildProcess) => void;
  onStderr?: (text: string, child: ChildProcess) => void;
}

export interface Running {
  child: ChildProcess;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves when the process has exited and its pipes are closed. */
  done: Promise<Run>;
  /** Resolves (with the text so far) once stdout matches. */
  waitStdout(pattern: RegExp, timeoutMs?: number): Promise<string>;
  waitStderr(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

export function startCli(args: string[], o: CliOptions = {}): Running {
  const child = spawn(o.node ?? process.execPath, [o.bin ?? CLI, ...args], {
    cwd: o.cwd ?? root,
    env: o.env ?? cleanEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: (() => void)[] = [];
  const notify = (): void => {
    for (const w of watchers.slice()) w();
  };
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    o.onStdout?.(stdout, child);
    notify();
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    o.onStderr?.(stderr, child);
    notify();
  });
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      notify();
      resolve({ code, signal, stdout, stderr });
    });
  });
  child.stdin!.on('error', () => {}); // the command may stop reading early (bad input)
  if (o.stdin) {
    if (o.keepStdin) child.stdin!.write(o.stdin);
    else child.stdin!.end(o.stdin);
  } else if (!o.keepStdin) child.stdin!.end();
  const wait =
    (which: () => string, name: string) =>
    (pattern: RegExp, timeoutMs = 20_000): Promise<string> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(which())) {
            finish();
            resolve(which());
          } else if (child.exitCode !== null || child.signalCode !== null) {
            finish();
            reject(
              new Error(
                `the command exited (${child.exitCode ?? child.signalCode}) before ${name} matched ` +
                  `${pattern}:\nstdout: ${stdout}\nstderr: ${stderr}`,
              ),
            );
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(
            new Error(`${name} did not match ${pattern} within ${timeoutMs} ms:\nstdout: ${stdout}\nstderr: ${stderr}`),
          );
        }, timeoutMs);
        const finish = (): void => {
          clearTimeout(timer);
          const i = watchers.indexOf(check);
          if (i >= 0) watchers.splice(i, 1);
        };
        watchers.push(check);
        check();
      });
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    done,
    waitStdout: wait(() => stdout, 'stdout'),
    waitStderr: wait(() => stderr, 'stderr'),
  };
}

/** Runs the command to its end. */
export function cli(args: string[], o: CliOptions = {}): Promise<Run> {
  return startCli(args, o).done;
}

export const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

/** Sends `signal` and resolves with the run and the milliseconds it took to exit after the signal. */
export async function signalAndWait(r: Running, signal: NodeJS.Signals): Promise<{ run: Run; ms: number }> {
  const t0 = performance.now();
  r.child.kill(signal);
  const run = await r.done;
  return { run, ms: performance.now() - t0 };
}
