// Runtime matrix, Node row: the scenario (test/matrix/scenario.ts) in a child Node process that
// imports the package by name, so the exports map's "node" condition picks the adapter. Node 24
// would be a second row if it were installed; only the project's Node 22 is.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkOutcome, note, referencePcm, run, startMatrix } from './matrix/harness.ts';

test('node: 48 kHz stereo WAV through the service, one dropped stream survived, every byte delivered', async () => {
  const m = await startMatrix();
  try {
    const child = run(process.execPath, ['test/matrix/entry-node.ts', m.control, m.emu.endpoint, m.wavPath], {
      env: { AWS_ACCESS_KEY_ID: m.emu.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: m.emu.credentials.secretAccessKey, AWS_REGION: 'us-east-1' },
    });
    const outcome = await m.outcome(30_000);
    const exit = await child;
    assert.is(exit.code, 0, `node exited ${exit.code}: ${exit.stderr}`);
    checkOutcome(m, outcome, { backend: 'wasm-simd', reference: referencePcm('wasm-simd') });
    note(`matrix node ${process.version}: ${exit.ms} ms (process), ${JSON.stringify(outcome.report.timings)}`);
  } finally {
    await m.close();
  }
});

test.run();
