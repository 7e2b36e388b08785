// presignedUrlHandler (adapters/presigned-url-handler.ts) against hostile or unlucky input: a
// credentials provider that hangs once must cost one request, not the endpoint; nothing is read or
// checked before authorize(), which gets the request untouched; a large body is refused by its
// Content-Length or after at most the cap, never buffered whole.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OptionError, presignedUrlHandler } from '../../dist/adapters/server.js';
import type { PresignedUrlHandlerOptions } from '../../dist/adapters/server.js';

const CREDS = { accessKeyId: 'AKIDSERVER', secretAccessKey: 'server-secret-key-0123456789' };
const PARAMS = { languageCode: 'en-US', sampleRate: 16000, mediaEncoding: 'pcm' };

function handler(o: Partial<PresignedUrlHandlerOptions> = {}) {
  return presignedUrlHandler({ region: 'eu-west-1', credentials: CREDS, onError: () => {}, ...o });
}

function post(body: BodyInit, headers: Record<string, string> = {}): Request {
  return new Request('https://app.example/transcribe-url', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
}

const ok = (): Request => post(JSON.stringify({ parameters: PARAMS }));

test('a provider call that hangs costs one request: 503 after credentialsTimeoutMs, the next asks again', async () => {
  let calls = 0;
  const errors: unknown[] = [];
  const h = handler({
    credentials: () => (++calls === 1 ? new Promise(() => {}) : CREDS),
    credentialsTimeoutMs: 50,
    onError: (e) => errors.push(e),
  });
  const t0 = Date.now();
  const first = await h(ok());
  assert.is(first.status, 503);
  assert.ok(Date.now() - t0 < 2000, 'within credentialsTimeoutMs, not the 10 s default');
  assert.is(errors.length, 1);
  assert.match(String(errors[0]), /did not answer within credentialsTimeoutMs \(50 ms\)/);
  for (let i = 0; i < 2; i++) assert.is((await h(ok())).status, 200, `request ${i + 2}`);
  assert.is(calls, 2, 'asked again once the hung call was given up, then cached');
});

test('credentialsTimeoutMs must be a positive number of milliseconds', () => {
  for (const credentialsTimeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(
      () => handler({ credentialsTimeoutMs }),
      (e: unknown) => e instanceof OptionError && e.option === 'credentialsTimeoutMs',
      String(credentialsTimeoutMs),
    );
  }
});

test('authorize() comes first: an unauthorised request learns nothing of the allow-list, nor of the body', async () => {
  const h = handler({
    authorize: () => false,
    languages: ['en-US'],
    allow: { vocabularyName: ['acme-product-names'] },
  });
  const requests = [
    post(JSON.stringify({ parameters: { ...PARAMS, vocabularyName: 'x' } })),
    post(JSON.stringify({ parameters: { ...PARAMS, languageCode: 'fr-FR' } })),
    post(JSON.stringify({ parameters: { ...PARAMS, contentRedactionType: 'PII' } })),
    post('{not json'),
    post('x'.repeat(100_000)),
    post('{}', { 'Content-Type': 'text/plain' }),
  ];
  for (const request of requests) {
    const res = await h(request);
    const text = await res.text();
    assert.is(res.status, 403, text);
    assert.equal(JSON.parse(text), { error: { code: 'FORBIDDEN', message: 'not allowed to transcribe' } });
    assert.not.ok(request.bodyUsed, 'the body of a refused request is never read');
  }
});

test('authorize() gets the request untouched: it may read a clone of the body; then the handler reads it', async () => {
  const seen: unknown[] = [];
  const h = handler({
    authorize: async (request) => {
      assert.not.ok(request.bodyUsed);
      seen.push(await request.clone().json());
      return true;
    },
  });
  assert.is((await h(ok())).status, 200);
  assert.equal(seen, [{ parameters: PARAMS }]);
  const consumed = handler({ authorize: async (request) => (await request.text()).length > 0 });
  try {
    await consumed(ok());
    assert.unreachable('an authorize() that read the body itself is a bug of the server, said so');
  } catch (e) {
    assert.match(String(e), /authorize\(\) read the request body: read request\.clone\(\) instead/);
  }
});

/** A body of `chunks` chunks of `size` bytes, streamed as Deno.serve, Bun.serve and Workers hand it over. */
function streamed(chunks: number, size: number) {
  const state = { pulled: 0, cancelled: false };
  const chunk = new Uint8Array(size).fill(0x20);
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (state.pulled++ < chunks) c.enqueue(chunk);
      else c.close();
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { body, state };
}

test('a body over 16 KiB: 413 by its Content-Length unread, else once past the cap (stream cancelled)', async () => {
  const h = handler();
  const declared = streamed(1000, 65_536);
  const byLength = await h(post(declared.body, { 'Content-Length': String(1000 * 65_536) }));
  assert.is(byLength.status, 413);
  assert.match(await byLength.text(), /the body is over 16384 bytes/);
  assert.is(declared.state.pulled <= 1, true, `read ${declared.state.pulled} chunks of a body declared too large`);

  const undeclared = streamed(25_600, 4096); // 100 MiB if read to the end
  const byBytes = await h(post(undeclared.body));
  assert.is(byBytes.status, 413);
  assert.ok(undeclared.state.pulled <= 8, `read ${undeclared.state.pulled} chunks of 4 KiB: at most the cap and a bit`);
  assert.ok(undeclared.state.cancelled, 'the rest of the body is cancelled, not left to the server');

  const within = streamed(0, 0);
  const small = JSON.stringify({ parameters: PARAMS });
  const exact = await h(post(small + ' '.repeat(16_384 - small.length)));
  assert.is(exact.status, 200, 'exactly 16 KiB is fine');
  assert.is((await h(post(within.body))).status, 400, 'an empty body is not JSON');
});

test('a body that trickles: 408 after bodyTimeoutMs, the rest cancelled', async () => {
  const state = { cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    async pull(c) {
      await new Promise((r) => setTimeout(r, 20));
      c.enqueue(new Uint8Array([0x20]));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  const started = Date.now();
  const res = await handler({ bodyTimeoutMs: 100 })(post(body));
  assert.is(res.status, 408);
  assert.match(await res.text(), /the body took over 100 ms/);
  assert.ok(Date.now() - started < 1000 && state.cancelled);
  assert.throws(() => handler({ bodyTimeoutMs: 0 }), /bodyTimeoutMs/);
});

test('a body that is not UTF-8 is refused (400), not decoded into replacement characters', async () => {
  const bytes = new TextEncoder().encode(JSON.stringify({ parameters: { ...PARAMS, languageCode: 'en-US' } }));
  const bad = new Uint8Array([...bytes.subarray(0, 20), 0xff, 0xfe, ...bytes.subarray(20)]);
  const res = await handler()(post(bad));
  assert.is(res.status, 400);
  assert.match(await res.text(), /not UTF-8/);
});

test.run();
