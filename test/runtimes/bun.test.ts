// Runtime matrix, Bun row: the scenario under `bun`, importing the package by name so the exports
// map's "bun" condition picks the adapter (Bun.env credentials, Bun.hash.crc32 for the frames).
// Also: Bun's WebSocket client carries binary frames exactly as the service needs (views, buffer
// reuse after send, length encodings, fragmentation, receive buffers).
import { once } from 'node:events';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WebSocketServer } from 'ws';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { installNativeCrc32 } from '../../dist/adapters/native-crc32.js';
import { crc32, crc32Table, setCrc32Implementation } from '../../dist/core/index.js';
import { binary, checkOutcome, note, referencePcm, run, skip, startMatrix } from './harness.ts';

const bun = binary('bun');
const SIZES = [0, 1, 125, 126, 127, 65535, 65536, 70000];

function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed * 7 + 1) & 0xff;
  return out;
}

function digest(data: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data[i]!, 0x01000193);
  return `${data.length}:${(h >>> 0).toString(16)}`;
}

test("native CRC-32 is installed only when it computes zlib's CRC-32 (check value, continuation, empty input)", () => {
  const data = new Uint8Array(5000).map((_, i) => (i * 13 + 1) & 0xff);
  try {
    // Wrong ones: a constant, one that ignores the previous CRC, one that mishandles empty input.
    assert.is(
      installNativeCrc32(() => 0),
      false,
    );
    assert.is(
      installNativeCrc32((d) => zlibCrc32(d)),
      false,
    );
    assert.is(
      installNativeCrc32((d, p) => (d.length === 0 ? 0 : zlibCrc32(d, p ?? 0))),
      false,
    );
    assert.is(installNativeCrc32(undefined), false);
    let calls = 0;
    assert.is(crc32(data), crc32Table(data), 'refused implementations were not installed');
    assert.is(
      installNativeCrc32((d, p) => {
        calls++;
        return zlibCrc32(d, p ?? 0);
      }),
      true,
    );
    const before = calls;
    assert.is(crc32(data), crc32Table(data));
    assert.is(calls, before + 1, 'the accepted implementation is the one in use');
  } finally {
    setCrc32Implementation(null);
  }
});

if (!bun) {
  skip('matrix bun: node_modules/.bin/bun is missing (the bun devDependency is not installed); run npm ci');
} else {
  test('bun: 48 kHz stereo WAV through the service, one dropped stream survived, every byte delivered', async () => {
    const m = await startMatrix();
    try {
      const version = (await run(bun, ['--version'])).stdout.trim();
      const child = run(bun, ['test/runtimes/entry-bun.ts', m.control, m.emu.endpoint, m.wavPath], {
        env: {
          AWS_ACCESS_KEY_ID: m.emu.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: m.emu.credentials.secretAccessKey,
        },
      });
      const outcome = await m.outcome(60_000);
      const exit = await child;
      assert.is(exit.code, 0, `bun exited ${exit.code}: ${exit.stderr}`);
      checkOutcome(m, outcome, { backend: 'wasm-simd', reference: referencePcm('wasm-simd') });
      assert.is(outcome.report.extra.nativeCrc32, true, 'Bun.hash.crc32 passed the zlib check and signed the frames');
      note(`matrix bun ${version}: ${exit.ms} ms (process), ${JSON.stringify(outcome.report.timings)}`);
    } finally {
      await m.close();
    }
  });

  test('bun: binary frames exact (views, reuse after send, lengths, fragments, receive buffers)', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    const got: string[] = [];
    wss.on('connection', (ws) => {
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary) return;
        const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        if (bytes.length === 5 && Buffer.from(bytes).toString() === 'reply' && got.length === SIZES.length) {
          // Whole messages of every size, then the last one split in three fragments.
          for (const [i, n] of SIZES.entries()) ws.send(pattern(n, 50 + i), { binary: true });
          const f = pattern(100_000, 99);
          ws.send(f.subarray(0, 10), { binary: true, fin: false });
          ws.send(f.subarray(10, 70_000), { binary: true, fin: false });
          ws.send(f.subarray(70_000), { binary: true, fin: true });
          return;
        }
        got.push(digest(bytes));
      });
    });
    try {
      const port = (wss.address() as { port: number }).port;
      const exit = await run(bun, ['test/runtimes/bun-ws-probe.ts', `ws://127.0.0.1:${port}/`], { timeoutMs: 20_000 });
      assert.is(exit.code, 0, exit.stderr);
      const out = JSON.parse(exit.stdout.trim().split('\n').pop()!) as {
        received: { type: string; digest: string }[];
        reused: number;
        closeCode: number;
      };
      assert.equal(
        got,
        SIZES.map((n, i) => digest(pattern(n, i))),
        'sent views carried exactly their bytes, unaffected by reuse after send',
      );
      const expected = [...SIZES.map((n, i) => digest(pattern(n, 50 + i))), digest(pattern(100_000, 99))];
      assert.equal(
        out.received.map((r) => r.digest),
        expected,
        'received messages exact, fragments reassembled',
      );
      assert.ok(
        out.received.every((r) => r.type === 'ArrayBuffer'),
        `binaryType 'arraybuffer' gives ArrayBuffer: ${JSON.stringify(out.received.map((r) => r.type))}`,
      );
      assert.is(out.reused, 0, 'no receive buffer was reused under an earlier message');
      assert.is(out.closeCode, 1000);
    } finally {
      wss.close();
    }
  });
}

test.run();
