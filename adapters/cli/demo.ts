/**
 * `transcribe-stream demo` (what `npm start` runs): the bundled sample, a 48 kHz stereo WAV, through
 * the whole stack (resampling, framing, SigV4, event stream, the service) to the bundled emulator,
 * printing interims, finals and the summary. `--aws` sends the same sample to Amazon Transcribe
 * with the credentials of the environment or the AWS default chain.
 */

import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TranscribeArgs } from './args.js';
import { CliError, EXIT_FAILURE } from './cli-error.js';
import { runTranscribe } from './transcribe.js';
import type { RunIo } from './transcribe.js';

/** The sample: next to the sources in a checkout (from dist/adapters/cli/), or copied into dist/. */
const CANDIDATES = ['../../../emulator/sample/demo.wav', '../../emulator/sample/demo.wav'];

export function samplePath(): string | undefined {
  for (const c of CANDIDATES) {
    const path = fileURLToPath(new URL(c, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

export async function runDemo(aws: boolean, args: TranscribeArgs, io: RunIo): Promise<number> {
  const wav = samplePath();
  if (!wav) throw new CliError('the demo sample emulator/sample/demo.wav is missing (it ships in the git checkout)', EXIT_FAILURE);
  const shown = relative(process.cwd(), wav) || wav;
  return runTranscribe({ ...args, input: wav, interim: true }, io, {
    banner: (input, target) =>
      `demo: ${shown} (${input.description}, ${(input.durationSeconds ?? 0).toFixed(1)} s) -> ${target}` +
      (aws ? '' : '; `npm start -- --aws` sends it to Amazon Transcribe'),
    offline: 'drop --aws',
  });
}
