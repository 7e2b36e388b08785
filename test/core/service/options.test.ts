// The service's options as core/service/options.ts and core/transcribe/url.ts check them: a secret
// given in the wrong option is refused without being echoed, and stream parameters such as
// dualStack reach the presigned URL. (The service's behaviour lives in service.test.ts.)
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AWSTranscribeSTTService, OptionError } from '../../../dist/core/index.js';
import type { AWSTranscribeSTTServiceOptions } from '../../../dist/core/index.js';
import { FakeServer } from '../../helpers/fake-socket.ts';
import { assertNoSecret, FAKE_SECRET_KEY, FAKE_TOKEN } from '../../helpers/fake-secrets.ts';
import { STREAM_PARAMETERS } from '../../helpers/url-options.ts';

const KEY = { awsAccessKeyId: 'AKIDEXAMPLE', apiKey: 'not-the-fake-secret-key' };

/** The OptionError that constructing the service and starting it causes, as text; fails if none. */
async function errorText(options: Record<string, unknown>): Promise<string> {
  const server = new FakeServer();
  try {
    const stt = new AWSTranscribeSTTService({ ...KEY, keepAliveMs: 0, ...options } as AWSTranscribeSTTServiceOptions, {
      socketFactory: server.factory,
    });
    await stt.start({ sampleRate: 16000 });
    stt.cancel();
  } catch (e) {
    assert.instance(e, OptionError, String(e));
    assert.is(server.sockets.length, 0, 'refused before any socket');
    return `${(e as Error).message}\n${String(e)}\n${JSON.stringify(e)}`;
  }
  throw new Error(`expected an OptionError for ${Object.keys(options).join(', ')}`);
}

const secrets = suite('service options: a secret in the wrong option is refused, never echoed');

/** Every checked option that is not a stream parameter, and every stream parameter (through start()). */
const SERVICE_OPTIONS = [
  'region',
  'language',
  'sampleRate',
  'frameMs',
  'stopTimeoutMs',
  'maxReconnectAttempts',
  'bufferSeconds',
  'keepAliveMs',
  'idleTimeoutMs',
  'maxStreamDurationMs',
  'ttfsP99Latency',
  'connectTimeoutMs',
  'credentialsTimeoutMs',
];

for (const option of [...SERVICE_OPTIONS, ...STREAM_PARAMETERS]) {
  secrets(option, async () => {
    for (const secret of [FAKE_SECRET_KEY, FAKE_TOKEN]) assertNoSecret(await errorText({ [option]: secret }), option);
  });
}

secrets('settings.language, and a token where a language goes', async () => {
  for (const secret of [FAKE_SECRET_KEY, FAKE_TOKEN]) {
    const text = await errorText({ settings: { language: secret } });
    assertNoSecret(text, 'settings.language');
    assert.match(
      text,
      /settings\.language: a string of \d+ characters \(not shown\) is not an Amazon Transcribe streaming language/,
    );
  }
});

secrets('the messages still say what was wrong and what to do', async () => {
  assert.match(
    await errorText({ frameMs: FAKE_SECRET_KEY }),
    /frameMs: must be an integer from 50 to 200, got a string of 40 characters \(not shown\)/,
  );
  assert.match(await errorText({ frameMs: 20 }), /frameMs: must be an integer from 50 to 200, got 20/);
  assert.match(
    await errorText({ region: FAKE_TOKEN }),
    /region: must be an AWS region such as us-east-1, got a string of \d+ characters \(not shown\)/,
  );
  assert.match(await errorText({ region: 'Europe' }), /got "Europe"/);
  assert.match(
    await errorText({ language: 'xx-YY' }),
    /"xx-YY" is not an Amazon Transcribe streaming language; use a Language value/,
  );
});

secrets.run();

const params = suite('service options: stream parameters reach the URL');

params('dualStack (and fips) connect to the dual-stack host', async () => {
  for (const [options, host] of [
    [{ dualStack: true }, 'transcribestreaming.eu-west-1.api.aws:8443'],
    [{ dualStack: true, fips: true }, 'transcribestreaming-fips.eu-west-1.api.aws:8443'],
    [{}, 'transcribestreaming.eu-west-1.amazonaws.com:8443'],
  ] as const) {
    const server = new FakeServer();
    const stt = new AWSTranscribeSTTService(
      { ...KEY, keepAliveMs: 0, region: 'eu-west-1', ...options },
      { socketFactory: server.factory },
    );
    await stt.start({ sampleRate: 16000 });
    assert.is(new URL(server.last.url).host, host);
    stt.cancel();
  }
});

params('dualStack with a custom endpoint: start() rejects with an OptionError naming dualStack', async () => {
  const server = new FakeServer();
  const stt = new AWSTranscribeSTTService(
    { ...KEY, endpoint: 'ws://127.0.0.1:1', dualStack: true },
    { socketFactory: server.factory },
  );
  try {
    await stt.start({ sampleRate: 16000 });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, OptionError);
    assert.is((e as OptionError).option, 'dualStack');
  }
  assert.is(server.sockets.length, 0);
});

params('the timeouts are service options, checked, and never sent as stream parameters', async () => {
  assert.match(
    await errorText({ connectTimeoutMs: 50 }),
    /connectTimeoutMs: must be an integer from 100 to 300000, got 50/,
  );
  assert.match(
    await errorText({ credentialsTimeoutMs: 1.5 }),
    /credentialsTimeoutMs: must be an integer from 100 to 300000, got 1.5/,
  );
  const server = new FakeServer();
  const stt = new AWSTranscribeSTTService(
    { ...KEY, keepAliveMs: 0, connectTimeoutMs: 5000, credentialsTimeoutMs: 2000 },
    { socketFactory: server.factory },
  );
  await stt.start({ sampleRate: 16000 });
  assert.not.match(server.last.url, /timeout/i);
  stt.cancel();
});

params.run();
