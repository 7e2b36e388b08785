// Errors the service builds from what a provider threw (provided-target.ts for `url`, signed-target.ts
// for `credentials`): every text cleaned (controls, secrets, length), a provider's own TranscribeError
// keeping its code, retryable, status and class, and never the raw error as `cause`, because
// console.error(err) and util.inspect print a cause with its message and stack.
import { inspect } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AWSTranscribeSTTService, TranscribeError } from '../../../../dist/core/index.js';
import type { AWSTranscribeSTTServiceOptions } from '../../../../dist/core/index.js';
import { FakeServer } from '../../../helpers/fake-socket.ts';
import { assertNoSecret, FAKE_SECRET_KEY, FAKE_TOKEN } from '../../../helpers/fake-secrets.ts';

const SIGNATURE = 'a'.repeat(10) + '0123456789abcdef'.repeat(4);
/** What a proxy, a hostile page or a chatty provider may say: terminal controls, a token, a signature, 200 KB. */
const HOSTILE =
  '\x1b[2J\x1b]0;pwned\x07\x1b[31mproxy says: GET /?X-Amz-Security-Token=' +
  `${encodeURIComponent(FAKE_TOKEN)}&X-Amz-Signature=${SIGNATURE} ${'x'.repeat(200_000)}`;
const BODY = `{"AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"${FAKE_SECRET_KEY}","Expiration":"soon"}`;

const made: AWSTranscribeSTTService[] = [];
test.after.each(() => {
  for (const s of made.splice(0)) s.cancel();
});

function service(options: AWSTranscribeSTTServiceOptions): AWSTranscribeSTTService {
  const stt = new AWSTranscribeSTTService(
    { keepAliveMs: 0, maxReconnectAttempts: 0, logger: {}, ...options },
    { socketFactory: new FakeServer().factory },
  );
  made.push(stt);
  return stt;
}

async function rejection(stt: AWSTranscribeSTTService): Promise<TranscribeError> {
  const e = await stt.start({ sampleRate: 16000 }).then(
    () => undefined,
    (err: unknown) => err,
  );
  assert.instance(e, TranscribeError);
  return e as TranscribeError;
}

/** Nothing of HOSTILE's dangerous parts in `text` (line breaks aside: util.inspect writes them). */
function assertClean(text: string, context: string): void {
  assert.not.match(text, /[\x00-\x09\x0b-\x1f\x7f-\x9f]/, `${context}: no control character`);
  assert.not.ok(text.includes(SIGNATURE), `${context}: no signature`);
  assertNoSecret(text, context);
  assertNoSecret(decodeURIComponent(text.replace(/%(?![\da-f]{2})/gi, '%25')), `${context} (decoded)`);
}

/** What console.error(err) prints, every line of it. */
function printed(err: unknown): string {
  return inspect(err, { depth: 10 });
}

test('a URL provider that throws an Error: URL_PROVIDER_FAILED, message cleaned and capped', async () => {
  const e = await rejection(
    service({
      url: () => {
        throw new Error(HOSTILE);
      },
    }),
  );
  assert.is(e.code, 'URL_PROVIDER_FAILED');
  assert.ok(e.message.length <= 600, `capped, was ${e.message.length}`);
  assert.match(e.message, /^the `url` provider failed: proxy says: GET/);
  assertClean(e.message, 'message');
  assertClean(printed(e), 'util.inspect');
});

test("a URL provider's own TranscribeError keeps code, retryable, status and class; its texts cleaned", async () => {
  class BackendRefused extends TranscribeError {
    override readonly name: string = 'BackendRefused';
    readonly user = 'u-42';
  }
  const thrown = new BackendRefused('AUTH_FAILED', HOSTILE, {
    status: 401,
    retryable: false,
    cause: new Error(`the backend said ${BODY}`),
  });
  const e = await rejection(service({ url: () => Promise.reject(thrown) }));
  assert.is(e.code, 'AUTH_FAILED');
  assert.is(e.status, 401);
  assert.is(e.retryable, false);
  assert.instance(e, BackendRefused, 'its class and fields survive');
  assert.is((e as BackendRefused).user, 'u-42');
  assert.ok(e.message.length <= 600, `capped, was ${e.message.length}`);
  assertClean(e.message, 'message');
  assertClean(String(e), 'toString');
  assertClean(printed(e), 'util.inspect, with the cause and stacks');
  assert.match(printed(e), /\[cause\]: Error: the backend said/, 'the cause is still there, cleaned');

  const frozen = Object.freeze(new TranscribeError('LIMIT_EXCEEDED', HOSTILE, { retryable: true, status: 429 }));
  const f = await rejection(service({ url: () => Promise.reject(frozen), maxReconnectAttempts: 0 }));
  assert.equal([f.code, f.retryable, f.status], ['LIMIT_EXCEEDED', true, 429], 'a frozen one is copied, same code');
  assertClean(printed(f), 'a frozen one');
});

test('a credentials provider that quotes what it got: no secret in message, toString or util.inspect', async () => {
  const e = await rejection(
    service({
      region: 'us-east-1',
      credentials: async () => {
        throw new Error(`credential endpoint answered 200 with an unusable body: ${BODY}`);
      },
    }),
  );
  assert.is(e.code, 'NO_CREDENTIALS');
  const shown = printed(e);
  assertClean(shown, 'util.inspect');
  assert.match(shown, /\[cause\]: Error: credential endpoint answered 200 with an unusable body/);
  assert.match(shown, /\[cause\][\s\S]*\n\s+at .*outside-errors\.test\.ts/, "the provider's frames are kept");
});

test("a credentials provider's TranscribeError (as the default chain throws): class kept, cause cleaned", async () => {
  class ChainError extends TranscribeError {
    override readonly name: string = 'ChainError';
    readonly problem = 'chain-failed';
  }
  const e = await rejection(
    service({
      region: 'us-east-1',
      credentials: () =>
        Promise.reject(new ChainError('NO_CREDENTIALS', 'the chain found nothing', { cause: new Error(BODY) })),
    }),
  );
  assert.instance(e, ChainError);
  assert.is((e as ChainError).problem, 'chain-failed', 'what the CLI reads to word its message');
  assert.is(e.message, 'the chain found nothing');
  assert.instance(e.cause, Error);
  assertClean(printed(e), 'util.inspect');
  assert.match((e.cause as Error).message, /"SecretAccessKey":"REDACTED"/);
});

test('something thrown that is not an Error, or whose fields throw: still a typed, clean error', async () => {
  const hostile = {
    toString() {
      throw new Error(FAKE_SECRET_KEY);
    },
  };
  const e = await rejection(service({ url: () => Promise.reject(hostile) }));
  assert.is(e.code, 'URL_PROVIDER_FAILED');
  assertClean(printed(e), 'util.inspect');
  const s = await rejection(service({ url: () => Promise.reject(`plain text ${HOSTILE}`) }));
  assert.is(s.code, 'URL_PROVIDER_FAILED');
  assertClean(printed(s), 'a thrown string');
});

test.run();
