/**
 * `transcribe-stream demo` (what `npm start` runs): the bundled sample through the whole stack
 * (resampling, framing, SigV4, event stream, the service) to the bundled emulator, printing
 * interims, finals and the summary. In a git checkout the sample is emulator/sample/demo.wav, a
 * 48 kHz stereo recording; an installed package does not ship it, and synthesises speech-like
 * sound timed like it instead (demo-sample.ts). `--aws` sends the recording to Amazon Transcribe
 * with the credentials of the environment or the AWS default chain.
 */

import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TranscribeArgs } from './args.js';
import { openAudioBytes } from './audio-input.js';
import { CliError } from './cli-error.js';
import { DEMO_SCRIPT, demoSampleWav } from './demo-sample.js';
import { runTranscribe } from './transcribe.js';
import type { RunIo } from './transcribe.js';

/** The recording: next to the sources in a checkout (from dist/cli/), or copied into dist/. */
const CANDIDATES = ['../../emulator/sample/demo.wav', '../emulator/sample/demo.wav'];

export function samplePath(): string | undefined {
  for (const c of CANDIDATES) {
    const path = fileURLToPath(new URL(c, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

export async function runDemo(aws: boolean, args: TranscribeArgs, io: RunIo): Promise<number> {
  const wav = samplePath();
  if (wav) {
    const shown = relative(process.cwd(), wav) || wav;
    return runTranscribe({ ...args, input: wav, interim: true }, io, {
      banner: (input, target) =>
        `demo: ${shown} (${input.description}, ${(input.durationSeconds ?? 0).toFixed(1)} s) -> ${target}` +
        (aws ? '' : '; `npm start -- --aws` sends it to Amazon Transcribe'),
      offline: 'drop --aws',
    });
  }
  if (aws) {
    throw new CliError(
      'demo --aws sends a recording of speech, and the installed package carries none (it is in the git checkout, ' +
        'emulator/sample/demo.wav); send one of your own instead: transcribe-stream speech.wav',
    );
  }
  const name = 'the synthesised demo sample';
  return runTranscribe({ ...args, input: name, interim: true }, io, {
    openInput: () => openAudioBytes(name, demoSampleWav()),
    script: { lines: [...DEMO_SCRIPT], source: "the demo's three lines, one per burst" },
    banner: (input, target) =>
      `demo: a synthesised sample, ${(input.durationSeconds ?? 0).toFixed(1)} s of speech-like sound in three bursts ` +
      `(${input.description}; the recording is in the git checkout) -> ${target}`,
  });
}
