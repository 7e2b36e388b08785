// The matrix scenario on Bun, through the package's own exports map (the "bun" condition).
import * as pkg from 'transcribe-stream';
import { dspBackend } from 'transcribe-stream/dsp';
import type * as BunAdapter from '../../dist/adapters/bun.js';
import { refusedHandshake, runFileScenario } from './scenario.ts';

declare const Bun: {
  argv: string[];
  version: string;
  env: Record<string, string | undefined>;
  file(path: string): { bytes(): Promise<Uint8Array> };
};

const adapter = pkg as unknown as typeof BunAdapter;
if (typeof adapter.bunRuntime !== 'function')
  throw new Error('the "bun" export condition did not pick adapters/bun.js');
const [control, endpoint, wavPath] = Bun.argv.slice(2) as [string, string, string];
const stt = new adapter.AWSTranscribeSTTService({ endpoint, logger: {} });
const refused = await refusedHandshake(
  new adapter.AWSTranscribeSTTService({
    endpoint,
    apiKey: 'wrong-secret',
    awsAccessKeyId: Bun.env.AWS_ACCESS_KEY_ID!,
    logger: {},
  }),
);
const report = await runFileScenario({
  runtime: `bun ${Bun.version}`,
  stt,
  control,
  dspBackend,
  wav: await Bun.file(wavPath).bytes(),
  // true: Bun.hash.crc32 passed the adapter's zlib check and signs every frame of this run.
  extra: { nativeCrc32: adapter.useNativeCrc32(), refused },
});
process.exitCode = report.error ? 1 : 0;
