// The server's side of the URL handoff (presignedUrlHandler, a WHATWG Request -> Response handler)
// and the page's (presignedUrlProvider): the allow-list, expiry at most 60 s, errors a page can act
// on without a secret in them, credentials cached, node:http through nodeHttpListener, and the
// whole handoff end to end: a URL-only service on Node streams to the emulator with URLs it asked for.
import { createServer } from 'node:http';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_HANDOFF_EXPIRES, OptionError, presignedUrlHandler, TranscribeError } from '../../dist/adapters/server.js';
import type { PresignedUrlHandlerOptions } from '../../dist/adapters/server.js';
import { AWSTranscribeSTTService as UrlOnlyService, presignedUrlProvider } from '../../dist/adapters/web-presigned.js';
import type { UrlParameters } from '../../dist/adapters/web-presigned.js';
import { nodeHttpListener } from '../../dist/adapters/node.js';
import { speechLikePcm, startEmulator } from '../../dist/emulator/index.js';

const CREDS = {
  accessKeyId: 'AKIDSERVER',
  secretAccessKey: 'server-secret-key-0123456789',
  sessionToken: 'server-session-token-abcdefghij',
};
const PARAMS: UrlParameters = {
  languageCode: 'en-US',
  sampleRate: 16000,
  mediaEncoding: 'pcm',
  enablePartialResultsStabilization: true,
  partialResultsStability: 'high',
};
const NOW = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

function handler(o: Partial<PresignedUrlHandlerOptions> = {}) {
  return presignedUrlHandler({ region: 'eu-west-1', credentials: CREDS, now: () => NOW, ...o });
}

function post(body: unknown, init: { headers?: Record<string, string>; method?: string; raw?: string } = {}): Request {
  const method = init.method ?? 'POST';
  return new Request('https://app.example/transcribe-url', {
    method,
    headers: { 'Content-Type': 'application/json', ...init.headers },
    ...(method === 'GET' ? {} : { body: init.raw ?? JSON.stringify(body) }),
  });
}

async function answer(res: Response): Promise<{ status: number; body: Record<string, unknown>; cache: string | null }> {
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    cache: res.headers.get('Cache-Control'),
  };
}

test("signs exactly the parameters asked for, with the server's credentials and region, 30 s by default", async () => {
  const r = await answer(await handler()(post({ parameters: PARAMS })));
  assert.is(r.status, 200);
  assert.is(r.cache, 'no-store', 'a URL is for one connection: never cached');
  const url = new URL(r.body.url as string);
  assert.is(url.host, 'transcribestreaming.eu-west-1.amazonaws.com:8443');
  assert.is(url.pathname, '/stream-transcription-websocket');
  const q = Object.fromEntries(url.searchParams);
  assert.is(q['language-code'], 'en-US');
  assert.is(q['sample-rate'], '16000');
  assert.is(q['X-Amz-Expires'], '30');
  assert.is(q['X-Amz-Date'], '20260102T030405Z');
  assert.ok(q['X-Amz-Credential']!.startsWith('AKIDSERVER/20260102/eu-west-1/transcribe/'));
  assert.is(q['X-Amz-Security-Token'], CREDS.sessionToken);
  assert.is(r.body.expiresAt, '2026-01-02T03:04:35.000Z', 'X-Amz-Date (whole seconds) + 30 s');
  const shorter = await answer(await handler({ expiresIn: 10 })(post({ parameters: PARAMS })));
  assert.is(new URL(shorter.body.url as string).searchParams.get('X-Amz-Expires'), '10');
});

test("expiry is at most 60 s, and a bad region or endpoint is the server's error at once", () => {
  assert.is(MAX_HANDOFF_EXPIRES, 60);
  for (const expiresIn of [0, 61, 300, 1.5]) {
    assert.throws(
      () => handler({ expiresIn }),
      (e: unknown) => e instanceof OptionError && e.option === 'expiresIn',
      String(expiresIn),
    );
  }
  assert.throws(
    () => handler({ region: 'nowhere' }),
    (e: unknown) => e instanceof OptionError && e.option === 'region',
  );
  assert.throws(
    () => handler({ endpoint: 'http://x' }),
    (e: unknown) => e instanceof OptionError && e.option === 'endpoint',
  );
});

test('allow-list: the default set passes; endpoint, account resources and Medical refused unless allowed', async () => {
  const h = handler();
  const ok = {
    ...PARAMS,
    showSpeakerLabel: true,
    sessionId: '2f0f6a52-8b4e-4f5c-9a51-0d1c2b3a4f5e',
    transcriptFormat: 'spoken',
  };
  assert.is((await h(post({ parameters: ok }))).status, 200);
  const refused: [Record<string, unknown>, string][] = [
    [{ region: 'us-west-2' }, 'region'],
    [{ endpoint: 'wss://evil.example' }, 'endpoint'],
    [{ extraQuery: { a: 'b' } }, 'extraQuery'],
    [{ expiresIn: 300 }, 'expiresIn'],
    [{ vocabularyName: 'internal-names' }, 'vocabularyName'],
    [{ contentRedactionType: 'PII' }, 'contentRedactionType'],
    [{ medical: true }, 'medical'],
  ];
  for (const [extra, option] of refused) {
    const r = await answer(await h(post({ parameters: { ...PARAMS, ...extra } })));
    assert.is(r.status, 400, option);
    assert.equal(
      r.body.error,
      { code: 'NOT_ALLOWED', message: `${option} is not a parameter this server lets pages choose`, option },
      option,
    );
  }
  const vocab = handler({ allow: { vocabularyName: ['product-names'] }, languages: ['en-US', 'es-US'] });
  assert.is((await vocab(post({ parameters: { ...PARAMS, vocabularyName: 'product-names' } }))).status, 200);
  const other = await answer(await vocab(post({ parameters: { ...PARAMS, vocabularyName: 'hr-names' } })));
  assert.equal(other.body.error, {
    code: 'NOT_ALLOWED',
    message: 'vocabularyName: this server allows product-names',
    option: 'vocabularyName',
  });
  const lang = await answer(await vocab(post({ parameters: { ...PARAMS, languageCode: 'de-DE' } })));
  assert.equal(lang.body.error, {
    code: 'NOT_ALLOWED',
    message: 'languageCode: this server allows the languages en-US, es-US',
    option: 'languageCode',
  });
  const options = await vocab(
    post({ parameters: { sampleRate: 16000, identifyLanguage: true, languageOptions: 'en-US, fr-FR' } }),
  );
  assert.is(options.status, 400, 'every item of a list is checked');
});

test('a value Transcribe would refuse: 400 INVALID_OPTION naming it; malformed requests get their status', async () => {
  const h = handler();
  const bad = await answer(await h(post({ parameters: { ...PARAMS, sampleRate: 7000 } })));
  assert.is(bad.status, 400);
  assert.is((bad.body.error as { code: string }).code, 'INVALID_OPTION');
  assert.is((bad.body.error as { option: string }).option, 'sampleRate');
  assert.match(
    (bad.body.error as { message: string }).message,
    /sampleRate: must be a whole number from 8000 to 48000/,
  );

  const get = await h(post(undefined, { method: 'GET' }));
  assert.is(get.status, 405);
  assert.is(get.headers.get('Allow'), 'POST');
  assert.is(
    (
      await h(
        post(undefined, { raw: 'parameters=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }),
      )
    ).status,
    415,
  );
  assert.is((await h(post(undefined, { raw: '{not json' }))).status, 400);
  assert.is(
    (await h(post(undefined, { raw: JSON.stringify({ parameters: PARAMS, pad: 'x'.repeat(20_000) }) }))).status,
    413,
  );
  assert.is((await h(post({ nothing: true }))).status, 400);
  assert.is((await h(post({ parameters: [PARAMS] }))).status, 400);
});

test("authorize decides per request (403); a provider's credentials cached; its failure: 503, no details", async () => {
  let calls = 0;
  const errors: unknown[] = [];
  const h = handler({
    authorize: (req) => req.headers.get('X-CSRF') === 'ok',
    credentials: async () => {
      calls++;
      return { ...CREDS, expiration: new Date(NOW + 3600_000) };
    },
  });
  const denied = await answer(await h(post({ parameters: PARAMS })));
  assert.is(denied.status, 403);
  assert.equal(denied.body.error, { code: 'FORBIDDEN', message: 'not allowed to transcribe' });
  for (let i = 0; i < 3; i++)
    assert.is((await h(post({ parameters: PARAMS }, { headers: { 'X-CSRF': 'ok' } }))).status, 200);
  assert.is(calls, 1, 'asked once, then cached until near expiry');

  const h2 = handler({
    credentials: () => Promise.reject(new Error(`STS said no for ${CREDS.secretAccessKey}`)),
    onError: (e) => errors.push(e),
  });
  const down = await answer(await h2(post({ parameters: PARAMS })));
  assert.is(down.status, 503);
  assert.is((down.body.error as { code: string }).code, 'NO_CREDENTIALS');
  assert.not.ok(JSON.stringify(down.body).includes(CREDS.secretAccessKey), 'the page learns nothing of the failure');
  assert.is(errors.length, 1, 'the server learns what it was');
});

test('presignedUrlProvider: POSTs the parameters, returns the url; retries server errors, not refusals', async () => {
  const seen: {
    url: string;
    init: { method: string; headers: Record<string, string>; body: string; credentials?: string };
  }[] = [];
  let status = 200;
  let body: unknown = { url: 'wss://h/stream-transcription-websocket?x=1', expiresAt: 'x' };
  const provider = presignedUrlProvider('/transcribe-url', {
    headers: async () => ({ 'X-CSRF': 'token' }),
    fetch: async (url, init) => {
      seen.push({ url, init });
      return { ok: status < 300, status, json: async () => body };
    },
  });
  const request = { attempt: 1, reason: 'connect' as const, sessionId: undefined, parameters: PARAMS, query: {} };
  assert.is(await provider(request), 'wss://h/stream-transcription-websocket?x=1');
  assert.is(seen[0]!.url, '/transcribe-url');
  assert.is(seen[0]!.init.method, 'POST');
  assert.equal(seen[0]!.init.headers, { 'X-CSRF': 'token', 'Content-Type': 'application/json' });
  assert.is(seen[0]!.init.credentials, 'same-origin');
  assert.equal(JSON.parse(seen[0]!.init.body), { parameters: PARAMS });

  const failure = async (): Promise<TranscribeError> => {
    const e = await Promise.resolve(provider(request)).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.instance(e, TranscribeError);
    return e as TranscribeError;
  };
  status = 400;
  body = {
    error: {
      code: 'NOT_ALLOWED',
      message: 'vocabularyName is not a parameter this server lets pages choose',
      option: 'vocabularyName',
    },
  };
  let e = await failure();
  assert.is(e.code, 'URL_PROVIDER_FAILED');
  assert.not.ok(e.retryable);
  assert.match(e.message, /answered HTTP 400 \(NOT_ALLOWED: vocabularyName is not a parameter/);
  for (const s of [503, 429]) {
    status = s;
    body = {};
    e = await failure();
    assert.ok(e.retryable && e.status === s, String(s));
  }
  status = 200;
  body = { nope: true };
  e = await failure();
  assert.not.ok(e.retryable);
  assert.match(e.message, /without a "url" string/);
});

test('end to end: URL-only service on Node, each URL from a node:http server, streams to the emulator', async () => {
  const emu = await startEmulator({ script: ['hello from the handoff'] });
  let asked = 0;
  const h = presignedUrlHandler({ region: 'us-east-1', credentials: emu.credentials, endpoint: emu.endpoint });
  const server = createServer(
    nodeHttpListener((req) => {
      asked++;
      return new URL(req.url).pathname === '/transcribe-url' ? h(req) : new Response('not found', { status: 404 });
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    const stt = new UrlOnlyService({ url: presignedUrlProvider(`${base}/transcribe-url`), keepAliveMs: 0, logger: {} });
    const finals: string[] = [];
    stt.on('transcription', (f) => finals.push(f.text));
    await stt.start({ sampleRate: 16000 });
    const pcm = speechLikePcm([{ silenceMs: 200 }, { speechMs: 800 }, { silenceMs: 800 }]);
    for (let at = 0; at < pcm.length; at += 640) stt.pushAudio(pcm.subarray(at, at + 640));
    const result = await stt.stop();
    assert.ok(result.complete, String(result.error));
    assert.equal(finals, ['hello from the handoff']);
    assert.is(asked, 1);
    assert.is(emu.sessions.length, 1);
    assert.is(emu.sessions[0]!.query['sample-rate'], '16000');
    assert.is((await fetch(`${base}/other`)).status, 404, 'nodeHttpListener passes every request to the handler');
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await emu.close();
  }
});

test.run();
