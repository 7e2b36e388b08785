// Runtime matrix, Node rows: the scenario (test/runtimes/scenario.ts) in a child Node process that
// imports the package by name, so the exports map's "node" condition picks the adapter. One row for
// the project's Node 22 and one for Node 24 (fetched from npm on first use, see runtimes/node24.ts).
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkOutcome, note, referencePcm, run, startMatrix } from './harness.ts';
import { NODE24_VERSION, node24 } from './node24.ts';

async function row(label: string, node: string): Promise<void> {
  const m = await startMatrix();
  try {
    const child = run(node, ['test/runtimes/entry-node.ts', m.control, m.emu.endpoint, m.wavPath], {
      env: {
        AWS_ACCESS_KEY_ID: m.emu.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: m.emu.credentials.secretAccessKey,
        AWS_REGION: 'us-east-1',
      },
    });
    const outcome = await m.outcome(30_000);
    const exit = await child;
    assert.is(exit.code, 0, `${label} exited ${exit.code}: ${exit.stderr}`);
    checkOutcome(m, outcome, { backend: 'wasm-simd', reference: referencePcm('wasm-simd') });
    note(`matrix ${label}: ${exit.ms} ms (process), ${JSON.stringify(outcome.report.timings)}`);
  } finally {
    await m.close();
  }
}

test('node 22: 48 kHz stereo WAV through the service, one dropped stream survived, every byte delivered', async () => {
  assert.ok(
    process.versions.node.startsWith('22.'),
    `the test runner should be the project's Node 22, is ${process.version}`,
  );
  await row(`node ${process.version}`, process.execPath);
});

test(`node 24: the same scenario on Node ${NODE24_VERSION ?? '24 (none on npm for this platform)'}`, async () => {
  const found = node24();
  if ('skip' in found) {
    console.log(`\nskip: ${found.skip}`);
    return;
  }
  const version = spawnSync(found.path, ['--version'], { encoding: 'utf8' }).stdout.trim();
  assert.is(version, `v${NODE24_VERSION}`, 'the fetched binary should be the pinned Node 24');
  await row(`node ${version}`, found.path);
});

test.run();
