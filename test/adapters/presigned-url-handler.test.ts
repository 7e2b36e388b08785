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

test.run();
