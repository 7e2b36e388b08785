// The credential path's "where to connect" (signed-target.ts) through the service: a provider's
// plain error becomes NO_CREDENTIALS with its text cleaned, a TranscribeError keeps its code, and
// each URL is signed for the request's session id with the parameters of the moment.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AWSTranscribeSTTService, TranscribeError } from '../../../../dist/core/index.js';
import type { CredentialProvider } from '../../../../dist/core/index.js';
import { FakeServer } from '../../../helpers/fake-socket.ts';

function make(credentials: CredentialProvider) {
  const server = new FakeServer();
  const stt = new AWSTranscribeSTTService(
    { credentials, keepAliveMs: 0, logger: {}, maxReconnectAttempts: 0 },
    { socketFactory: server.factory },
  );
  return { stt, server };
}

test("a provider's plain error: NO_CREDENTIALS, fatal, text cleaned of anything named like a secret", async () => {
  const { stt, server } = make(() => {
    throw new Error('profile default: aws_secret_access_key=wJalrXUtnFEMI/K7MDENG+bPxRfiCYzzz is expired');
  });
  const e = await stt.start({ sampleRate: 16000 }).then(
    () => undefined,
    (err: unknown) => err,
  );
  assert.instance(e, TranscribeError);
  assert.is((e as TranscribeError).code, 'NO_CREDENTIALS');
  assert.not.ok((e as TranscribeError).retryable);
  assert.match(
    (e as Error).message,
    /^could not get AWS credentials: profile default: aws_secret_access_key=REDACTED is expired$/,
  );
  assert.is(server.sockets.length, 0);
});

test("a provider's TranscribeError keeps its code; the URL carries the credentials and settings of now", async () => {
  let fail = true;
  const { stt, server } = make(() => {
    if (fail) throw new TranscribeError('AUTH_FAILED', 'this user may not transcribe');
    return { accessKeyId: 'AKIDSIGNED', secretAccessKey: 'signed-secret-key' };
  });
  const e = await stt.start({ sampleRate: 16000 }).then(
    () => undefined,
    (err: unknown) => err,
  );
  assert.is((e as TranscribeError).code, 'AUTH_FAILED');
  fail = false;
  await stt.start({ sampleRate: 8000 });
  assert.ok(server.last.query.get('X-Amz-Credential')!.startsWith('AKIDSIGNED/'));
  assert.is(server.last.query.get('sample-rate'), '8000');
  await stt.updateSettings({ language: 'es-US' });
  assert.is(server.last.query.get('language-code'), 'es-US');
  assert.match(server.last.query.get('session-id') ?? '', /^[\da-f-]{36}$/, 'a switch gets a fresh session id');
  stt.cancel();
});

test.run();
