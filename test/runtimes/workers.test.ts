// Runtime matrix, Cloudflare Workers row: the scenario inside workerd (miniflare, programmatic),
// bundled with esbuild under the Workers export conditions; outbound WebSocket through
// fetch + Upgrade, credentials from bindings, the DSP .wasm imported as a CompiledWasm module.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { workersSocketFactory } from '../../dist/adapters/workers-socket.js';
import type { WorkersFetch, WorkersWebSocket } from '../../dist/adapters/workers-socket.js';
import type { SocketCloseInfo } from '../../dist/core/index.js';
import { checkOutcome, note, referencePcm, ROOT, skip, startMatrix } from './harness.ts';
import { bundleWorker, disposeWorker, loadMiniflare, runWorker } from './miniflare.ts';

/** A stand-in for a Workers WebSocket: records calls, lets the test fire events. */
class FakeWorkersSocket implements WorkersWebSocket {
  accepted = false;
  sent: Uint8Array[] = [];
  closes: [number | undefined, string | undefined][] = [];
  readonly listeners: Record<string, ((ev: never) => void)[]> = {};
  accept(): void {
    this.accepted = true;
  }
  send(data: ArrayBufferView | ArrayBuffer): void {
    // Keep the very object the runtime was given: workerd does not copy it either.
    this.sent.push(
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    );
  }
  close(code?: number, reason?: string): void {
    this.closes.push([code, reason]);
  }
  addEventListener(type: string, fn: (ev: never) => void): void {
    (this.listeners[type] ??= []).push(fn);
  }
  fire(type: string, ev: unknown): void {
    for (const fn of this.listeners[type] ?? []) fn(ev as never);
  }
}

function recorder(): {
  log: string[];
  closes: SocketCloseInfo[];
  messages: Uint8Array[];
  events: Parameters<ReturnType<typeof workersSocketFactory>>[1];
} {
  const log: string[] = [];
  const closes: SocketCloseInfo[] = [];
  const messages: Uint8Array[] = [];
  return {
    log,
    closes,
    messages,
    events: {
      open: () => log.push('open'),
      message: (d) => messages.push(d.slice()),
      close: (info) => {
        log.push('close');
        closes.push(info);
      },
    },
  };
}

const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

test("workers socket: fetch + Upgrade on the URL's http(s) form; frames copied at send; binary in", async () => {
  const ws = new FakeWorkersSocket();
  const requests: [string, Record<string, string>][] = [];
  const fetchImpl: WorkersFetch = async (url, init) => {
    requests.push([url, init.headers]);
    return { status: 101, webSocket: ws, text: async () => '' };
  };
  const r = recorder();
  const sock = workersSocketFactory(fetchImpl)(
    'wss://transcribestreaming.us-east-1.amazonaws.com:8443/stream?X=1',
    r.events,
  );
  assert.is(sock.send(new Uint8Array([1])), false, 'nothing is sent before the upgrade');
  await flush();
  assert.equal(requests, [
    ['https://transcribestreaming.us-east-1.amazonaws.com:8443/stream?X=1', { Upgrade: 'websocket' }],
  ]);
  assert.ok(ws.accepted);
  assert.equal(r.log, ['open']);
  const scratch = new Uint8Array([9, 8, 7, 6, 5]);
  assert.is(sock.send(scratch.subarray(1, 4)), true);
  scratch.fill(0);
  assert.equal(Array.from(ws.sent[0]!), [8, 7, 6], 'the frame went out as it was when sent');
  ws.fire('message', { data: new Uint8Array([1, 2, 3]).buffer });
  ws.fire('message', { data: 'text frames are ignored' });
  assert.equal(
    r.messages.map((m) => Array.from(m)),
    [[1, 2, 3]],
  );
  ws.fire('close', { code: 1000, reason: 'bye' });
  ws.fire('error', {});
  assert.equal(r.closes, [{ code: 1000, reason: 'bye', opened: true }]);
  assert.is(sock.send(new Uint8Array([1])), false, 'nothing is sent after the close');
  assert.is(sock.bufferedAmount, 0);
});

test('workers socket: a refused upgrade reports its HTTP status and body; a failed fetch is 1006', async () => {
  const refused = recorder();
  workersSocketFactory(async () => ({
    status: 403,
    webSocket: null,
    text: async () => '{"message":"signature mismatch"}',
  }))('wss://h/p', refused.events);
  await flush();
  await flush();
  assert.equal(refused.closes, [
    { code: 1006, reason: '', opened: false, status: 403, body: '{"message":"signature mismatch"}' },
  ]);
  assert.equal(refused.log, ['close']);
  const failed = recorder();
  workersSocketFactory(async () => {
    throw new TypeError('network down');
  })('ws://h/p', failed.events);
  await flush();
  assert.equal(failed.closes, [{ code: 1006, reason: '', opened: false }]);
});

test('workers socket: close() before the upgrade answered closes the socket when it arrives, no open', async () => {
  const ws = new FakeWorkersSocket();
  let answer: (v: Awaited<ReturnType<WorkersFetch>>) => void = () => undefined;
  const r = recorder();
  const sock = workersSocketFactory(() => new Promise((resolve) => (answer = resolve)))('wss://h/p', r.events);
  sock.close(1000, 'cancelled');
  answer({ status: 101, webSocket: ws, text: async () => '' });
  await flush();
  assert.ok(ws.accepted);
  assert.equal(ws.closes, [[1000, 'cancelled']]);
  assert.equal(r.log, ['close']);
  assert.equal(r.closes, [{ code: 1000, reason: 'cancelled', opened: false }]);
});

const MF = await loadMiniflare();
if ('skip' in MF) skip(`matrix workers: ${MF.skip}`);
else {
  test('workers: 48 kHz stereo WAV through the service, a dropped stream survived, every byte delivered', async () => {
    const m = await startMatrix();
    const started = Date.now();
    // dist/adapters/workers.js imports '../dsp/dsp.wasm': the bundle keeps that import, so the
    // .wasm sits at the same relative place next to it.
    const dir = join(m.dir, 'worker');
    mkdirSync(join(dir, 'bundle'), { recursive: true });
    mkdirSync(join(dir, 'dsp'), { recursive: true });
    copyFileSync(join(ROOT, 'dist', 'dsp', 'dsp.wasm'), join(dir, 'dsp', 'dsp.wasm'));
    const script = join(dir, 'bundle', 'worker.js');
    await bundleWorker({ entry: join(ROOT, 'test', 'runtimes', 'worker.ts') }, script, ['*.wasm']);
    assert.match(
      readFileSync(script, 'utf8'),
      /from ["']\.\.\/dsp\/dsp\.wasm["']/,
      'the bundle imports the .wasm as a module',
    );
    const mf = runWorker(MF, {
      script,
      root: dir,
      wasm: true,
      bindings: {
        AWS_ACCESS_KEY_ID: m.emu.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: m.emu.credentials.secretAccessKey,
        EMULATOR_ENDPOINT: m.emu.endpoint,
        CONTROL_URL: m.control,
      },
    });
    try {
      const bundled = Date.now();
      const res = await mf.dispatchFetch('http://localhost/');
      const body = await res.text();
      assert.is(res.status, 200, body);
      const outcome = await m.outcome(30_000);
      checkOutcome(m, outcome, { backend: 'wasm-simd', reference: referencePcm('wasm-simd') });
      assert.match(
        String(outcome.report.extra.compileFromBytes),
        /^refused/,
        'workerd forbids compiling Wasm from bytes',
      );
      assert.equal(
        outcome.report.extra.unbound,
        { state: 'failed', errors: ['NO_CREDENTIALS fatal'], rejected: 'NO_CREDENTIALS' },
        'no bindings: NO_CREDENTIALS',
      );
      note(
        `matrix workers (miniflare ` +
          `${(await import('miniflare/package.json', { with: { type: 'json' } })).default.version}): ` +
          `${Date.now() - started} ms (bundle ${bundled - started} ms), ${JSON.stringify(outcome.report.timings)}`,
      );
    } finally {
      await disposeWorker(mf);
      await m.close();
    }
  });
}

test.run();
