// presignedUrlProvider (adapters/presigned-url-provider.ts) quotes the answer of whatever replied to
// its POST: the handler, a proxy, or someone in between. What it quotes is cleaned and capped where
// the message is made, and the endpoint is named without what its query or user info may carry.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { presignedUrlProvider, TranscribeError } from '../../dist/adapters/web-presigned.js';
import type { FetchLike, UrlRequest } from '../../dist/adapters/web-presigned.js';

const SIGNATURE = 'a'.repeat(10) + '0123456789abcdef'.repeat(4);
const TOKEN = 'FwoGZXIvYXdzEJr//TOKENTOKENTOKENTOKEN';
const HOSTILE =
  `\x1b[2J\x1b]0;pwned\x07\x1b[31mproxy says: GET /?X-Amz-Security-Token=${TOKEN}` + `&X-Amz-Signature=${SIGNATURE} `;
const REQUEST: UrlRequest = {
  attempt: 1,
  reason: 'connect',
  sessionId: undefined,
  parameters: { languageCode: 'en-US', sampleRate: 16000, mediaEncoding: 'pcm' },
  query: {},
};

async function failure(endpoint: string, status: number, body: unknown): Promise<TranscribeError> {
  const fetch: FetchLike = async () => ({ ok: status < 300, status, json: async () => body });
  const e = await Promise.resolve(presignedUrlProvider(endpoint, { fetch })(REQUEST)).then(
    () => undefined,
    (err: unknown) => err,
  );
  assert.instance(e, TranscribeError);
  return e as TranscribeError;
}

test("the server's error text: controls gone, token and signature redacted, capped; code and status kept", async () => {
  const e = await failure('https://app.example/transcribe-url', 400, {
    error: { code: 'BAD_REQUEST', message: HOSTILE + 'x'.repeat(200_000) },
  });
  assert.is(e.code, 'URL_PROVIDER_FAILED');
  assert.is(e.status, 400);
  assert.not.ok(e.retryable);
  assert.ok(e.message.length < 600, `capped, was ${e.message.length}`);
  assert.not.match(e.message, /[\x00-\x1f\x7f-\x9f]/, 'no control character');
  assert.not.ok(e.message.includes('TOKENTOKEN'), e.message);
  assert.not.ok(e.message.includes(SIGNATURE), e.message);
  assert.match(e.message, /^https:\/\/app\.example\/transcribe-url answered HTTP 400 \(BAD_REQUEST: proxy says: GET/);
  assert.not.match(String(e), /\x1b/, 'toString too');
});

test('the endpoint is named without the secrets its URL may carry; a missing url says so the same way', async () => {
  const endpoint = `https://user:hunter2@app.example/transcribe-url?X-Amz-Security-Token=${TOKEN}`;
  const refused = await failure(endpoint, 503, {});
  assert.ok(refused.retryable);
  assert.not.match(refused.message, /hunter2|TOKENTOKEN/);
  assert.match(refused.message, /app\.example\/transcribe-url.* answered HTTP 503 \(no reason given\)/);
  const empty = await failure(endpoint, 200, { nope: true });
  assert.not.match(empty.message, /hunter2|TOKENTOKEN/);
  assert.match(empty.message, /answered HTTP 200 without a "url" string/);
});

test.run();
