// The matrix scenario on Deno, through the package's own exports map (the "deno" condition).
// Run with --allow-env limited to the AWS names: the adapter reads only what was granted.
import * as pkg from 'transcribe-stream';
import { dspBackend } from 'transcribe-stream/dsp';
import type * as DenoAdapter from '../../dist/adapters/deno.js';
import { refusedHandshake, runFileScenario } from './scenario.ts';

declare const Deno: {
  args: string[];
  version: { deno: string };
  env: { get(name: string): string | undefined };
  readFile(path: string): Promise<Uint8Array>;
  exit(code: number): never;
};

const adapter = pkg as unknown as typeof DenoAdapter;
if (typeof adapter.denoRuntime !== 'function')
  throw new Error('the "deno" export condition did not pick adapters/deno.js');
const [control, endpoint, wavPath] = Deno.args as [string, string, string];
const stt = new adapter.AWSTranscribeSTTService({ endpoint, logger: {} });
const refused = await refusedHandshake(
  new adapter.AWSTranscribeSTTService({
    endpoint,
    apiKey: 'wrong-secret',
    awsAccessKeyId: Deno.env.get('AWS_ACCESS_KEY_ID')!,
    logger: {},
  }),
);
const report = await runFileScenario({
  runtime: `deno ${Deno.version.deno}`,
  stt,
  control,
  dspBackend,
  wav: await Deno.readFile(wavPath),
  extra: { refused, nativeCrc32: adapter.useNativeCrc32() },
});
if (report.error) Deno.exit(1);
