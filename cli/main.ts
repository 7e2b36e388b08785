/**
 * The `transcribe-stream` command: dispatches to the transcriber, the demo or the standalone
 * emulator, and turns every failure into one line on stderr and an exit code.
 */

import { readFileSync } from 'node:fs';
import { TranscribeError } from '../adapters/node.js';
import { parseArgs } from './args.js';
import { CliError, EXIT_FAILURE, EXIT_USAGE } from './cli-error.js';
import { runDemo } from './demo.js';
import { NOTE_MAX } from './display.js';
import { cleanMessage } from './sanitize.js';
import { watchSignals } from './signals.js';
import { runTranscribe } from './transcribe.js';
import type { RunIo } from './transcribe.js';
import { USAGE } from './usage.js';

export function processIo(): RunIo {
  return {
    out: process.stdout,
    err: process.stderr,
    stdin: process.stdin,
    env: process.env,
    onInterrupt: (h) => watchSignals(h),
  };
}

/** Runs the command; resolves with the exit code, or undefined while a server keeps running (emulator). */
export async function main(argv: readonly string[], io: RunIo = processIo()): Promise<number | undefined> {
  const fail = (message: string, code: number): number => {
    io.err.write(`transcribe-stream: ${cleanMessage(message, NOTE_MAX)}\n`);
    return code;
  };
  try {
    const cmd = parseArgs(argv);
    switch (cmd.kind) {
      case 'help':
        io.out.write(`${USAGE}\n`);
        return 0;
      case 'version':
        io.out.write(`${version()}\n`);
        return 0;
      case 'emulator': {
        const { runEmulatorCli } = await import('../emulator/index.js');
        const emulator = await runEmulatorCli(cmd.argv);
        return emulator ? undefined : 0;
      }
      case 'demo':
        return await runDemo(cmd.aws, cmd.args, io);
      case 'transcribe':
        return await runTranscribe(cmd.args, io);
    }
  } catch (err) {
    if (err instanceof CliError) return fail(err.message, err.exitCode);
    if (err instanceof TranscribeError)
      return fail(err.message, err.code === 'INVALID_OPTION' ? EXIT_USAGE : EXIT_FAILURE);
    const e = err as NodeJS.ErrnoException;
    // (A busy or privileged port is the emulator's OptionError('port') above: choose another, exit 2.)
    // The emulator's own typed errors (e.g. WS_NOT_INSTALLED: the optional peer ws is missing) say what to do.
    if (e?.name === 'EmulatorError') return fail(e.message, EXIT_FAILURE);
    return fail(`unexpected error: ${e?.stack ?? String(err)}`, EXIT_FAILURE);
  }
}

function version(): string {
  for (const c of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(c, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'transcribe-stream' && pkg.version) return pkg.version;
    } catch {
      // next candidate
    }
  }
  return 'unknown';
}
