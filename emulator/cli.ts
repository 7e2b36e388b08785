/**
 * `transcribe-stream emulator [options]`: starts the emulator standalone and prints what a client
 * needs to reach it (endpoint and the credentials it accepts; they are local test credentials).
 */
import { readFile } from 'node:fs/promises';
import { OptionError } from '../core/errors.js';
import { startEmulator } from './server.js';
import type { Emulator, EmulatorOptions } from './types.js';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Close the emulator on SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
}

const USAGE = `Usage: transcribe-stream emulator [options]

Starts a local Amazon Transcribe streaming endpoint (ws://) for offline tests. It keeps no
recording of past streams (nothing could read it), so it can run for days.

Options:
  --host <addr>             interface to listen on (default 127.0.0.1)
  --port <n>                port (default 0: any free port)
  --script <file>           utterances to "recognise", one per line (blank lines and # comments skipped)
  --access-key-id <id>      access key id to accept (default: generated)
  --secret-access-key <s>   secret to accept (default: generated)
  --session-token <t>       session token to require (default: none)
  --region <r>              only accept credential scopes for this region
  --idle-timeout-ms <n>     no-audio timeout (default 15000)
  --max-duration-ms <n>     longest stream (default 14400000, 4 h)
  --clock-skew-ms <n>       run the emulator's clock this far ahead (negative: behind)
  --final-delay-ms <n>      hold each final this long after the end of speech (default 0)
  -h, --help                this text`;

const VALUE_FLAGS = new Set([
  '--host',
  '--port',
  '--script',
  '--access-key-id',
  '--secret-access-key',
  '--session-token',
  '--region',
  '--idle-timeout-ms',
  '--max-duration-ms',
  '--clock-skew-ms',
  '--final-delay-ms',
]);

function numberFlag(flag: string, value: string): number {
  if (!/^-?\d+(\.\d+)?$/.test(value)) throw new OptionError(flag, `must be a number, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Parses `argv` (with or without a leading `emulator`) into emulator options. */
export async function parseCliArgs(argv: readonly string[]): Promise<EmulatorOptions | 'help'> {
  const args = argv[0] === 'emulator' ? argv.slice(1) : argv.slice();
  const values = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    let arg = args[i]!;
    if (arg === '-h' || arg === '--help') return 'help';
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    if (!VALUE_FLAGS.has(arg)) throw new OptionError(arg, 'is not an emulator option (see --help)');
    if (value === undefined) {
      value = args[++i];
      if (value === undefined) throw new OptionError(arg, 'needs a value');
    }
    values.set(arg, value);
  }
  // Nothing reads a standalone emulator's records: keep none, so its memory stays flat.
  const opts: EmulatorOptions = { retain: { sessions: 0, audioBytes: 0, events: 0 } };
  const v = (flag: string): string | undefined => values.get(flag);
  if (v('--host') !== undefined) opts.host = v('--host')!;
  if (v('--port') !== undefined) opts.port = numberFlag('--port', v('--port')!);
  if (v('--region') !== undefined) opts.region = v('--region')!;
  if (v('--idle-timeout-ms') !== undefined)
    opts.idleTimeoutMs = numberFlag('--idle-timeout-ms', v('--idle-timeout-ms')!);
  if (v('--max-duration-ms') !== undefined)
    opts.maxDurationMs = numberFlag('--max-duration-ms', v('--max-duration-ms')!);
  if (v('--clock-skew-ms') !== undefined) opts.clockSkewMs = numberFlag('--clock-skew-ms', v('--clock-skew-ms')!);
  if (v('--final-delay-ms') !== undefined) opts.finalDelayMs = numberFlag('--final-delay-ms', v('--final-delay-ms')!);
  const id = v('--access-key-id');
  const secret = v('--secret-access-key');
  if ((id === undefined) !== (secret === undefined)) {
    throw new OptionError(
      id === undefined ? '--access-key-id' : '--secret-access-key',
      'is needed too: give both or neither',
    );
  }
  if (id !== undefined && secret !== undefined) {
    const token = v('--session-token');
    opts.credentials = {
      accessKeyId: id,
      secretAccessKey: secret,
      ...(token !== undefined ? { sessionToken: token } : {}),
    };
  } else if (v('--session-token') !== undefined) {
    throw new OptionError('--session-token', 'needs --access-key-id and --secret-access-key');
  }
  const file = v('--script');
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new OptionError(
        '--script',
        `cannot read ${JSON.stringify(file)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
    opts.script = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
  }
  return opts;
}

/**
 * Runs the CLI: prints usage for --help (resolves undefined), otherwise starts the emulator, prints
 * its endpoint and credentials, and resolves with it (it keeps running until closed or a signal).
 * Bad arguments reject with an OptionError naming the flag.
 */
export async function runEmulatorCli(argv: string[], io?: CliIo): Promise<Emulator | undefined> {
  const out = io?.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const parsed = await parseCliArgs(argv);
  if (parsed === 'help') {
    out(USAGE);
    return undefined;
  }
  const emulator = await startEmulator(parsed);
  const c = emulator.credentials;
  out(`Amazon Transcribe streaming emulator listening on ${emulator.endpoint}`);
  out(
    `  endpoint:          ${emulator.endpoint}/stream-transcription-websocket (medical: ` +
      `/medical-stream-transcription-websocket)`,
  );
  out(`  access key id:     ${c.accessKeyId}`);
  out(`  secret access key: ${c.secretAccessKey}`);
  if (c.sessionToken !== undefined) out(`  session token:     ${c.sessionToken}`);
  out(`  env: AWS_ACCESS_KEY_ID=${c.accessKeyId} AWS_SECRET_ACCESS_KEY=${c.secretAccessKey}`);
  if (io?.handleSignals !== false) {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      (io?.err ?? ((line: string) => process.stderr.write(`${line}\n`)))('emulator: closing');
      void emulator.close();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  return emulator;
}
