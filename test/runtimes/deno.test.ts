// Runtime matrix, Deno row: the scenario under `deno run` with narrow permissions (network to
// loopback, the AWS environment names only, reads of the repo and the fixture), importing the
// package by name so the exports map's "deno" condition picks the adapter. Also: without
// --allow-env the adapter neither throws nor prompts, and says which flag is missing.
import { tmpdir } from 'node:os';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { binary, checkOutcome, note, referencePcm, ROOT, run, skip, startMatrix } from './harness.ts';

const deno = binary('deno');
const ENV_NAMES = 'AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY,AWS_SESSION_TOKEN,AWS_REGION,AWS_DEFAULT_REGION';
const denoEnv = { DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };

if (!deno) {
  skip('matrix deno: node_modules/.bin/deno is missing (the deno devDependency is not installed); run npm ci');
} else {
  test('deno: 48 kHz stereo WAV through the service, one dropped stream survived, every byte delivered', async () => {
    const m = await startMatrix();
    try {
      const version = (await run(deno, ['--version'], { env: denoEnv })).stdout.split('\n')[0];
      const child = run(
        deno,
        [
          'run',
          '--no-lock',
          '--allow-net=127.0.0.1',
          `--allow-env=${ENV_NAMES}`,
          `--allow-read=${ROOT},${tmpdir()}`,
          'test/runtimes/entry-deno.ts',
          m.control,
          m.emu.endpoint,
          m.wavPath,
        ],
        {
          env: {
            ...denoEnv,
            AWS_ACCESS_KEY_ID: m.emu.credentials.accessKeyId,
            AWS_SECRET_ACCESS_KEY: m.emu.credentials.secretAccessKey,
          },
        },
      );
      const outcome = await m.outcome(60_000);
      const exit = await child;
      assert.is(exit.code, 0, `deno exited ${exit.code}: ${exit.stderr}`);
      checkOutcome(m, outcome, { backend: 'wasm-simd', reference: referencePcm('wasm-simd') });
      assert.is(
        outcome.report.extra.nativeCrc32,
        true,
        "node:zlib's crc32 passed the zlib check and signed the frames",
      );
      note(`matrix ${version}: ${exit.ms} ms (process), ${JSON.stringify(outcome.report.timings)}`);
    } finally {
      await m.close();
    }
  });

  test('deno without --allow-env: no prompt; NO_CREDENTIALS names the flag; region default', async () => {
    const exit = await run(
      deno,
      [
        'run',
        '--no-lock',
        '--allow-net=127.0.0.1',
        `--allow-read=${ROOT}`,
        'test/runtimes/entry-deno-noenv.ts',
        'ws://127.0.0.1:9',
      ],
      {
        env: { ...denoEnv, AWS_ACCESS_KEY_ID: 'AKIDNOTREADABLE', AWS_SECRET_ACCESS_KEY: 'not-readable' },
      },
    );
    assert.is(exit.code, 0, exit.stderr);
    const out = JSON.parse(exit.stdout.trim().split('\n').pop()!) as {
      state: string;
      region: string;
      threw: string;
      errors: { code: string; fatal: boolean; message: string }[];
    };
    assert.match(out.threw, /NO_CREDENTIALS/, 'start() rejects with the fatal error');
    assert.is(out.state, 'failed');
    assert.is(out.region, 'us-east-1', 'AWS_REGION unreadable: the default region');
    assert.is(out.errors.length, 1);
    assert.is(out.errors[0]!.code, 'NO_CREDENTIALS');
    assert.ok(out.errors[0]!.fatal);
    assert.match(out.errors[0]!.message, /--allow-env=AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY/);
    assert.not.match(out.errors[0]!.message, /AKIDNOTREADABLE|not-readable/);
  });
}

test.run();
