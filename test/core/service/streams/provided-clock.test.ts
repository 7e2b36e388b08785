// The `url` path's expiry check (provided-target.ts) when clocks differ: a URL lives seconds, a
// device's clock may be off by a minute. A fresh URL must work whatever this device's clock says;
// a URL that is really stale (older than what the backend signed before) must still be refused.
// The backend signs with transcribeUrl at `time.now` (its clock); the device's clock is `time.now +
// deviceAhead`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AWSTranscribeSTTService, TranscribeError, transcribeUrl } from '../../../../dist/core/index.js';
import type { UrlParameters, UrlRequest } from '../../../../dist/core/index.js';
import { FakeServer } from '../../../helpers/fake-socket.ts';
import { VirtualTime } from '../../../helpers/virtual-time.ts';

const BACKEND = { accessKeyId: 'AKIDBACKEND', secretAccessKey: 'backend-secret-key-never-in-the-page' };

const made: AWSTranscribeSTTService[] = [];
test.after.each(() => {
  for (const s of made.splice(0)) s.cancel();
});

/** A service on a device whose clock is `deviceAheadMs` ahead of the backend's; `signedAgo`: each URL's age. */
function make(deviceAheadMs: number, signedAgo: (r: UrlRequest) => number, expiresIn = 30) {
  const time = new VirtualTime();
  const server = new FakeServer();
  const requests: UrlRequest[] = [];
  const logs: string[] = [];
  const errors: { code: string; fatal: boolean; message: string }[] = [];
  const sign = (p: UrlParameters, ago: number): string =>
    transcribeUrl({ ...p, region: 'eu-west-1', credentials: BACKEND, expiresIn, date: new Date(time.now - ago) });
  const stt = new AWSTranscribeSTTService(
    {
      keepAliveMs: 0,
      logger: { warn: (m) => logs.push(m), error: () => {} },
      url: (r) => {
        requests.push(r);
        return sign(r.parameters, signedAgo(r));
      },
    },
    { socketFactory: server.factory, ...time.runtime, now: () => time.now + deviceAheadMs },
  );
  made.push(stt);
  stt.on('error', (f) => errors.push({ code: f.error.code, fatal: f.fatal, message: f.error.message }));
  const start = (): Promise<unknown> => {
    const p = stt.start({ sampleRate: 16000 });
    p.catch(() => undefined);
    return p;
  };
  return { time, stt, server, requests, logs, errors, start };
}

test("device clock 45 s ahead, fresh 30 s URLs: connects on the backend's time, says so, asks twice once", async () => {
  const { time, server, requests, logs, start } = make(45_000, () => 0);
  const started = start();
  await time.settle();
  await started;
  assert.is(server.sockets.length, 1, 'connected');
  assert.is(requests.length, 2, 'the first URL looked expired: asked once more, and the second looked the same');
  assert.match(logs[0]!, /had expired at .*, 15 s before this device's clock says it is now; asking again/);
  assert.match(
    logs[1]!,
    /signed 45 s before this device's clock .*twice in a row: this device's clock or the backend's/,
  );
  server.last.serverClose(1006);
  await time.advance(2000);
  assert.is(server.sockets.length, 2, 'reconnected');
  assert.is(requests.length, 3, "the skew was learned: the reconnect's URL fits at once");
  assert.is(logs.length, 2, 'no new warning');
});

test('a device clock behind or on time: one ask per stream, no warning', async () => {
  for (const ahead of [-45_000, 0, 20_000]) {
    const { time, server, requests, logs, start } = make(ahead, () => 0);
    const started = start();
    await time.settle();
    await started;
    assert.is(server.sockets.length, 1, String(ahead));
    assert.is(requests.length, 1, String(ahead));
    assert.equal(logs, [], String(ahead));
  }
});

test('after fresh URLs taught the clocks, stale ones (a cached URL) are refused: URL_EXPIRED, no socket', async () => {
  let stale = false;
  const { time, server, requests, errors, start } = make(45_000, () => (stale ? 120_000 : 0));
  const started = start();
  await time.settle();
  await started;
  stale = true;
  server.last.serverClose(1006);
  await time.advance(2000);
  assert.is(server.sockets.length, 1, 'no socket for a stale URL');
  assert.is(requests.length, 4);
  const last = errors[errors.length - 1]!;
  assert.equal([last.code, last.fatal], ['URL_EXPIRED', true]);
  assert.match(
    last.message,
    /had expired at .*, 9\d s before now by the backend's clock \(this device's runs 45 s ahead\), twice in a row/,
  );
});

test('first connect: a second URL signed before the first is stale, whatever the clocks: URL_EXPIRED', async () => {
  const { time, server, requests, start } = make(0, (r) => (r.attempt === 1 ? 40_000 : 100_000));
  const failed = start().then(
    () => undefined,
    (e: unknown) => e,
  );
  await time.settle();
  const e = await failed;
  assert.instance(e, TranscribeError);
  assert.is((e as TranscribeError).code, 'URL_EXPIRED');
  assert.not.ok((e as TranscribeError).retryable);
  assert.match((e as TranscribeError).message, /twice in a row, the second signed before the first: the backend must/);
  assert.is(requests.length, 2);
  assert.is(server.sockets.length, 0);
});

test('a stale first URL and a fresh second: the fresh one is used, the stale one not learned from', async () => {
  const { time, server, requests, logs, start } = make(0, (r) => (r.attempt === 1 ? 120_000 : 0));
  const started = start();
  await time.settle();
  await started;
  assert.is(server.sockets.length, 1);
  assert.is(requests.length, 2);
  assert.is(logs.length, 1);
  assert.match(logs[0]!, /90 s before this device's clock says it is now; asking again/);
});

test.run();
