// The matrix scenario on Bun, through the package's own exports map (the "bun" condition).
import * as pkg from 'transcribe-stream';
import { dspBackend } from 'transcribe-stream/dsp';
import type * as BunAdapter from '../../dist/adapters/bun.js';
import { runFileScenario } from './scenario.ts';

declare const Bun: { argv: string[]; version: string; file(path: string): { bytes(): Promise<Uint8Array> } };

const adapter = pkg as unknown as typeof BunAdapter;
if (typeof adapter.bunRuntime !== 'function') throw new Error('the "bun" export condition did not pick adapters/bun.js');
const [control, endpoint, wavPath] = Bun.argv.slice(2) as [string, string, string];
const stt = new adapter.AWSTranscribeSTTService({ endpoint, logger: {} });
const report = await runFileScenario({
  runtime: `bun ${Bun.version}`,
  stt,
  control,
  dspBackend,
  wav: await Bun.file(wavPath).bytes(),
  // true: Bun.hash.crc32 passed the adapter's zlib check and signs every frame of this run.
  extra: { nativeCrc32: adapter.useNativeCrc32() },
});
process.exitCode = report.error ? 1 : 0;
