// The diagnosis of a refused handshake (adapters/node-handshake.ts for Node, fetch-handshake.ts for
// Deno and Bun) against a server that refuses the upgrade and then misbehaves on the plain GET:
// trickles its body, never answers, floods. The status is taken from the head, the body is bounded
// in time and bytes, the whole diagnosis has a deadline, and no connection outlives it. End to end,
// a refused handshake on Node is AUTH_FAILED, not CONNECT_TIMEOUT, and leaves no socket behind.
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AWSTranscribeSTTService, TranscribeError } from '../../dist/adapters/node.js';
import { diagnoseHandshake, nodeHandshakeDiagnosis } from '../../dist/adapters/node-handshake.js';
import { fetchHandshakeDiagnosis } from '../../dist/adapters/fetch-handshake.js';

type Behaviour = 'trickle' | 'silent' | 'flood' | 'upgrade-required';

/**
 * A server that answers every upgrade 403 and every plain GET as `behaviour` says. `open`: the
 * connections that sent a request and are still open (Node's fetch may open a spare connection
 * after an abort, which asks nothing and which it closes itself).
 */
async function refusing(behaviour: Behaviour) {
  const open = new Set<Socket>();
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => {
      open.delete(s);
      sockets.delete(s);
    });
    s.on('error', () => {});
    s.once('data', (d) => {
      open.add(s);
      if (/upgrade: websocket/i.test(String(d))) {
        s.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      if (behaviour === 'silent') return;
      if (behaviour === 'upgrade-required') {
        s.write('HTTP/1.1 426 Upgrade Required\r\nTransfer-Encoding: chunked\r\n\r\n');
        return;
      }
      s.write('HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n');
      const message = '{"message":"signature expired"}';
      s.write(`${message.length.toString(16)}\r\n${message}\r\n`);
      const piece = behaviour === 'flood' ? 'x'.repeat(60_000) : 'x';
      const t = setInterval(() => s.writable && s.write(`${piece.length.toString(16)}\r\n${piece}\r\n`), 100);
      s.on('close', () => clearInterval(t));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}/stream-transcription-websocket?X-Amz-Signature=abc`,
    endpoint: `ws://127.0.0.1:${port}`,
    open,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** `p`, or 'hung' after `ms`: a diagnosis that never settles must fail the test, not hang it. */
function within<T>(p: Promise<T>, ms: number): Promise<T | 'hung'> {
  return Promise.race([p, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), ms).unref())]);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const diagnoses = [
  ['node', (l: { deadlineMs?: number; bodyMs?: number }) => nodeHandshakeDiagnosis(l)],
  ['fetch', (l: { deadlineMs?: number; bodyMs?: number }) => fetchHandshakeDiagnosis(fetch, l)],
] as const;

test('node (default): a trickled body does not hold the status: 403 within a second, socket closed', async () => {
  const server = await refusing('trickle');
  try {
    const t0 = Date.now();
    const found = await within(diagnoseHandshake(server.url), 8000);
    assert.ok(found !== 'hung' && found !== undefined, `the status, not ${String(found)}`);
    assert.is(found.status, 403);
    assert.match(found.body, /^\{"message":"signature expired"\}x*$/);
    assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
    await sleep(100);
    assert.is(server.open.size, 0, 'the diagnostic connection is closed');
  } finally {
    await server.close();
  }
});

for (const [name, make] of diagnoses) {
  test(`${name}: trickle, flood, silence and 426: bounded in time and bytes, no connection left`, async () => {
    for (const behaviour of ['trickle', 'flood', 'silent', 'upgrade-required'] as const) {
      const server = await refusing(behaviour);
      try {
        const t0 = Date.now();
        const found = await within(make({ deadlineMs: 800, bodyMs: 300 })(server.url), 5000);
        const took = Date.now() - t0;
        assert.ok(found !== 'hung', `${behaviour}: settled`);
        if (behaviour === 'silent' || behaviour === 'upgrade-required') assert.is(found, undefined, behaviour);
        else {
          assert.is(found?.status, 403, behaviour);
          assert.ok(found!.body.length <= 4096, `${behaviour}: ${found!.body.length} characters kept`);
        }
        assert.ok(took < 1500, `${behaviour}: ${took} ms, the deadline is 800`);
        await sleep(100);
        assert.is(server.open.size, 0, `${behaviour}: the diagnostic connection is closed`);
      } finally {
        await server.close();
      }
    }
  });
}

test('fetch without body streams: text() that never ends still gives the status', async () => {
  const fake = async () => ({ status: 403, text: () => new Promise<string>(() => {}) });
  const found = await within(fetchHandshakeDiagnosis(fake, { bodyMs: 50 })('wss://h/x'), 2000);
  assert.equal(found, { status: 403, body: '' });
  const never = fetchHandshakeDiagnosis(() => new Promise(() => {}), { deadlineMs: 50 });
  assert.is(await within(never('wss://h/x'), 2000), undefined, 'a fetch that never answers: no answer at the deadline');
});

test('end to end on Node: a refused handshake is AUTH_FAILED (not CONNECT_TIMEOUT), no socket left', async () => {
  const server = await refusing('trickle');
  const stt = new AWSTranscribeSTTService({
    awsAccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    apiKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    endpoint: server.endpoint,
    connectTimeoutMs: 300,
    logger: {},
  });
  try {
    const err = await within(
      stt.start({ sampleRate: 16000 }).then(
        () => undefined,
        (e: unknown) => e,
      ),
      10_000,
    );
    assert.instance(err, TranscribeError);
    assert.is((err as TranscribeError).code, 'AUTH_FAILED', (err as TranscribeError).message);
    assert.is((err as TranscribeError).status, 403);
    await sleep(200);
    assert.is(server.open.size, 0, 'no diagnostic connection left open');
  } finally {
    stt.cancel();
    await server.close();
  }
});

test.run();
