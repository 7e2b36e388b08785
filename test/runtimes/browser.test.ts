// Runtime matrix, browser row: a Chromium found on this machine (in CI, Debian's, which .ci/run
// installs) driven by playwright-core, its fake microphone playing the 48 kHz stereo fixture. A page
// served from 127.0.0.1 captures it with getUserMedia + an AudioWorklet, feeds the package's browser
// entry (bundled by esbuild under the "browser" condition), gets temporary credentials from a
// Cognito stand-in, shows interim and final text, survives a dropped stream, stops. The test reads
// the page and saves a screenshot.
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  AWSTranscribeSTTService as WebService,
  cognitoCredentials,
  OptionError,
  TranscribeError,
} from '../../dist/adapters/web.js';
import { chromiumWithFakeMic } from './chromium.ts';
import { checkOutcome, note, ROOT, skip, startMatrix } from './harness.ts';

// The web adapter's own rules, checked on Node (whose global WebSocket it can use) even where no
// browser can run.
test('web adapter: no credentials is an OptionError that says how to get temporary ones; env is never read', () => {
  assert.throws(
    () => new WebService({}),
    (e: unknown) => e instanceof OptionError && e.option === 'credentials' && /temporary credentials/.test(e.message),
  );
  const saved = process.env.AWS_REGION;
  process.env.AWS_REGION = 'eu-west-1';
  try {
    const stt = new WebService({
      credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 's', sessionToken: 't' },
    });
    assert.is(stt.region, 'us-east-1', 'AWS_REGION in the environment is not read');
  } finally {
    if (saved === undefined) delete process.env.AWS_REGION;
    else process.env.AWS_REGION = saved;
  }
});

test('web adapter: a long-lived key in browser code is warned about once; temporary credentials are not', () => {
  const warned: string[] = [];
  const logger = { warn: (m: string) => warned.push(m) };
  new WebService({ awsAccessKeyId: 'AKIAEXAMPLEKEY', apiKey: 'secret', logger });
  new WebService({ credentials: { accessKeyId: 'AKIAEXAMPLEKEY', secretAccessKey: 'secret' }, logger });
  new WebService({ awsAccessKeyId: 'ASIAEXAMPLEKEY', apiKey: 'secret', awsSessionToken: 'token', logger });
  new WebService({ credentials: async () => ({ accessKeyId: 'AKIAFROMPROVIDER', secretAccessKey: 'secret' }), logger });
  assert.is(warned.length, 2, JSON.stringify(warned));
  assert.ok(warned.every((w) => /long-lived access key/.test(w) && !/AKIAEXAMPLEKEY|secret/.test(w)));
});

test('web adapter: cognitoCredentials: GetId, GetCredentialsForIdentity, identity kept, errors mapped', async () => {
  const calls: { target: string; body: Record<string, unknown>; type: string }[] = [];
  let fail: { status: number; body: unknown } | undefined;
  const fakeFetch = async (url: string, init: { method: string; headers: Record<string, string>; body: string }) => {
    assert.is(url, 'https://cognito-identity.eu-central-1.amazonaws.com/');
    assert.is(init.method, 'POST');
    const target = init.headers['X-Amz-Target']!;
    calls.push({ target, body: JSON.parse(init.body) as Record<string, unknown>, type: init.headers['Content-Type']! });
    const answer =
      fail ??
      (target.endsWith('.GetId')
        ? { status: 200, body: { IdentityId: 'eu-central-1:id-1' } }
        : {
            status: 200,
            body: {
              IdentityId: 'eu-central-1:id-1',
              Credentials: { AccessKeyId: 'ASIA1', SecretKey: 'S1', SessionToken: 'T1', Expiration: 1_900_000_000 },
            },
          });
    return { ok: answer.status < 300, status: answer.status, json: async () => answer.body };
  };
  const provider = cognitoCredentials({
    identityPoolId: 'eu-central-1:pool',
    logins: () => ({ 'accounts.example.com': 'id-token' }),
    fetch: fakeFetch,
  });
  const c = await provider();
  assert.equal(c, {
    accessKeyId: 'ASIA1',
    secretAccessKey: 'S1',
    sessionToken: 'T1',
    expiration: new Date(1_900_000_000_000),
  });
  await provider();
  assert.equal(
    calls.map((x) => x.target),
    [
      'AWSCognitoIdentityService.GetId',
      'AWSCognitoIdentityService.GetCredentialsForIdentity',
      'AWSCognitoIdentityService.GetCredentialsForIdentity',
    ],
    'the identity is asked once',
  );
  assert.ok(calls.every((x) => x.type === 'application/x-amz-json-1.1'));
  assert.equal(calls[0]!.body, { IdentityPoolId: 'eu-central-1:pool', Logins: { 'accounts.example.com': 'id-token' } });
  assert.equal(calls[1]!.body, { IdentityId: 'eu-central-1:id-1', Logins: { 'accounts.example.com': 'id-token' } });

  fail = {
    status: 400,
    body: {
      __type: 'NotAuthorizedException',
      message: 'Unauthenticated access is not supported for this identity pool.',
    },
  };
  const err = await Promise.resolve(provider()).catch((e: unknown) => e);
  assert.ok(err instanceof TranscribeError && err.code === 'NO_CREDENTIALS' && !err.retryable, String(err));
  assert.match((err as Error).message, /NotAuthorizedException: Unauthenticated access/);
  fail = { status: 503, body: {} };
  const busy = await Promise.resolve(provider()).catch((e: unknown) => e);
  assert.ok(busy instanceof TranscribeError && busy.retryable && busy.status === 503);
  assert.throws(() => cognitoCredentials({ identityPoolId: 'no-region-here' }), /pass region/);
});
const SESSION_TOKEN = 'matrix-session-token/+=';

// A Chromium-family browser already on this machine (chromium.ts); tests never install one (CI does,
// with .ci/system-deps): without a browser the row skips.
const chromium = await chromiumWithFakeMic();
if ('skip' in chromium) skip(`matrix browser: ${chromium.skip}`);
else if ('fail' in chromium) {
  const reason = chromium.fail;
  test('browser: playwright-core loads', () => {
    assert.unreachable(reason);
  });
} else {
  const { launch } = chromium;
  test('browser: fake microphone, getUserMedia + AudioWorklet, Cognito credentials, a dropped stream', async () => {
    const m = await startMatrix({ sessionToken: SESSION_TOKEN });
    const started = Date.now();
    const bundle = await build({
      entryPoints: [join(ROOT, 'test', 'runtimes', 'page.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'warning',
    });
    const pageJs = bundle.outputFiles[0]!.contents;
    const cognito: string[] = [];
    m.route((req, res, body) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const send = (type: string, data: string | Uint8Array): true => {
        res.writeHead(200, { 'Content-Type': type }).end(data);
        return true;
      };
      if (req.method === 'GET' && path === '/')
        return send('text/html', readFileSync(join(ROOT, 'test', 'runtimes', 'page.html')));
      if (req.method === 'GET' && path === '/page.js') return send('text/javascript', pageJs);
      if (req.method === 'GET' && path === '/capture-worklet.js')
        return send('text/javascript', readFileSync(join(ROOT, 'test', 'runtimes', 'capture-worklet.js')));
      if (req.method === 'POST' && path === '/cognito') {
        // The two unsigned Cognito Identity calls, checked for the wire shape the SDK uses.
        const target = String(req.headers['x-amz-target']);
        const input = JSON.parse(Buffer.from(body).toString('utf8')) as {
          IdentityPoolId?: string;
          IdentityId?: string;
        };
        cognito.push(target);
        if (req.headers['content-type'] !== 'application/x-amz-json-1.1') {
          res.writeHead(400).end(JSON.stringify({ __type: 'BadContentType' }));
        } else if (target === 'AWSCognitoIdentityService.GetId' && input.IdentityPoolId?.startsWith('us-east-1:')) {
          send('application/x-amz-json-1.1', JSON.stringify({ IdentityId: 'us-east-1:identity-of-the-page' }));
        } else if (
          target === 'AWSCognitoIdentityService.GetCredentialsForIdentity' &&
          input.IdentityId === 'us-east-1:identity-of-the-page'
        ) {
          const c = m.emu.credentials;
          const Expiration = Math.floor(Date.now() / 1000) + 3600;
          send(
            'application/x-amz-json-1.1',
            JSON.stringify({
              IdentityId: input.IdentityId,
              Credentials: {
                AccessKeyId: c.accessKeyId,
                SecretKey: c.secretAccessKey,
                SessionToken: c.sessionToken,
                Expiration,
              },
            }),
          );
        } else {
          res
            .writeHead(400)
            .end(JSON.stringify({ __type: 'InvalidParameterException', message: `unexpected ${target}` }));
        }
        return true;
      }
      return false;
    });
    const browser = await launch(m.wavPath, { loop: false });
    const consoleLines: string[] = [];
    try {
      const page = await browser.newPage({ viewport: { width: 900, height: 420 } });
      page.on('console', (msg) => {
        if (msg.type() === 'error' || msg.type() === 'warning') consoleLines.push(`${msg.type()}: ${msg.text()}`);
      });
      page.on('pageerror', (err) => consoleLines.push(`pageerror: ${err.message}`));
      await page.goto(`${m.control}/?endpoint=${encodeURIComponent(m.emu.endpoint)}`);
      // Interim text shows while someone speaks, before the final replaces it.
      const interim = page
        .waitForFunction(() => document.getElementById('interim')?.textContent || undefined, undefined, {
          timeout: 20_000,
          polling: 20,
        })
        .then((h) => h.jsonValue());
      const outcome = await m.outcome(45_000).catch((err: Error) => {
        throw new Error(`${err.message}; page console: ${consoleLines.join(' | ')}`);
      });
      await page.waitForSelector('body[data-done="true"]', { timeout: 10_000 });
      const shown = await page.locator('#finals li').allTextContents();
      const status = await page.locator('#status').textContent();
      const dir = join(tmpdir(), 'transcribe-stream-matrix');
      mkdirSync(dir, { recursive: true });
      const shot = join(dir, 'browser.png');
      await page.screenshot({ path: shot });

      checkOutcome(m, outcome, { backend: 'wasm-simd', refused: 'hidden' });
      const refused = outcome.report.extra.refused as { state: string; errors: string[]; rejected: string | undefined };
      assert.is(refused.state, 'failed', 'a refused handshake ends the service');
      assert.is(refused.rejected, 'CONNECTION_FAILED', 'and start() rejects with it');
      assert.is(refused.errors[refused.errors.length - 1], 'CONNECTION_FAILED fatal', JSON.stringify(refused.errors));
      assert.ok(refused.errors.length <= 4, `bounded retries: ${JSON.stringify(refused.errors)}`);
      assert.equal(shown, outcome.report.finals, 'the page shows every final');
      const firstInterim = String(await interim);
      assert.ok(
        outcome.report.finals.some((f) =>
          f
            .toLowerCase()
            .replace(/[^a-z ]/g, '')
            .startsWith(firstInterim.toLowerCase().replace(/[^a-z ]/g, '')),
        ),
        `the page showed interim text "${firstInterim}", the start of a final`,
      );
      assert.match(String(status), /^done: 3 finals, 1 reconnect/);
      // The refusal check's provider, then the service's: each one identity and one credential set
      // (the service caches its set until near expiry, across the reconnect).
      const pair = ['AWSCognitoIdentityService.GetId', 'AWSCognitoIdentityService.GetCredentialsForIdentity'];
      assert.equal(cognito, [...pair, ...pair]);
      assert.ok(m.emu.sessions.every((s) => s.query['sample-rate'] === '16000'));
      assert.equal(
        consoleLines.filter((l) => l.startsWith('pageerror')),
        [],
      );
      const x = outcome.report.extra;
      note(
        `matrix ${outcome.report.runtime}: ${Date.now() - started} ms, AudioContext ${String(x.audioContextRate)} ` +
          `Hz, track channels ${String(x.trackChannels)}, ` +
          `refused handshake: ${refused.errors.join(' → ')}; ${JSON.stringify(outcome.report.timings)}; screenshot ` +
          `${shot}`,
      );
    } finally {
      await browser.close();
      await m.close();
    }
  });
}

test.run();
