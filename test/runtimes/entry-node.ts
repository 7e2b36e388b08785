// The matrix scenario on Node, through the package's own exports map (the "node" condition).
import { readFileSync } from 'node:fs';
import * as pkg from 'transcribe-stream';
import { dspBackend } from 'transcribe-stream/dsp';
import type * as NodeAdapter from '../../dist/adapters/node.js';
import { refusedHandshake, runFileScenario } from './scenario.ts';

const adapter = pkg as unknown as typeof NodeAdapter;
if (typeof adapter.nodeRuntime !== 'function')
  throw new Error('the "node" export condition did not pick adapters/node.js');
const [control, endpoint, wavPath] = process.argv.slice(2) as [string, string, string];
// Credentials come from the environment (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).
const stt = new adapter.AWSTranscribeSTTService({ endpoint, logger: {} });
const refused = await refusedHandshake(
  new adapter.AWSTranscribeSTTService({
    endpoint,
    apiKey: 'wrong-secret',
    awsAccessKeyId: process.env.AWS_ACCESS_KEY_ID!,
    logger: {},
  }),
);
const report = await runFileScenario({
  runtime: `node ${process.version}`,
  stt,
  control,
  dspBackend,
  wav: readFileSync(wavPath),
  extra: { refused },
});
process.exitCode = report.error ? 1 : 0;
