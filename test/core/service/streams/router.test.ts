// SessionRouter on its own (core/service/streams/router.ts): a fake RouterContext that records
// what the router reports, fake sockets, virtual time. The service's tests reach these paths only
// through pushAudio/stop/updateSettings; here each one is driven and timed directly.
import { test } from 'uvu';
import type { Credentials } from '../../../../dist/core/sigv4/credentials.js';
import * as assert from 'uvu/assert';
import { OptionError, TranscribeError } from '../../../../dist/core/index.js';
import type { ConnectedEvent, DisconnectedEvent } from '../../../../dist/core/index.js';
import { concatBytes } from '../../../helpers/bytes.ts';
import { result } from '../../../helpers/fake-socket.ts';
import { KEYS, pcm, received, RouterHarness } from '../../../helpers/router-context.ts';

const streamNumbers = (h: RouterHarness): number[] =>
  (h.named('connected') as ConnectedEvent[]).map((c) => c.streamNumber);

// ---- switches --------------------------------------------------------------------------------------

for (const closeInline of [false, true]) {
  const close = closeInline ? 'inside' : 'after';
  test(`switch while connecting: the connecting stream is abandoned, no failure (close ${close} close())`, async () => {
    const h = new RouterHarness({ manualOpen: true, closeInline });
    const started = h.router.start();
    await h.vt.settle();
    assert.is(h.sockets.length, 1);
    const switched = h.router.switch('settings');
    await h.vt.settle();
    assert.equal(h.socket(0).closed, { code: 1000, reason: 'settings changed' });
    assert.is(h.sockets.length, 2, 'a new stream with the new parameters');
    h.socket(1).open();
    assert.is(await started, undefined, 'start() resolves with the new stream');
    await switched;
    assert.equal(h.errorCodes(), []);
    assert.equal(h.named('connectionError'), []);
    assert.equal(h.named('disconnected'), []);
    assert.equal(streamNumbers(h), [2]);
    await h.vt.advance(60_000);
    assert.is(h.sockets.length, 2, 'nothing retried');
    assert.equal(h.errorCodes(), []);
  });
}

test('switch on an open stream: make-before-break, audio moves at a pause, the old stream drains', async () => {
  const h = new RouterHarness({ params: { sessionId: 'mine' } });
  await h.router.start();
  h.push(pcm(0.5));
  const switched = h.router.switch('settings');
  await h.vt.settle();
  assert.is(h.sockets.length, 2);
  assert.equal(
    h.urls.map((u) => u.sessionId),
    ['mine', 'uuid-1'],
    'a switch never reuses the session id the old stream holds',
  );
  h.push(pcm(0.5, true, 8000));
  assert.is(received(h.socket(1)).frames, 0, 'no audio moves mid-speech');
  h.push(pcm(0.3, false)); // three quiet frames: a pause
  await switched;
  assert.equal(streamNumbers(h), [1, 2]);
  const old = received(h.socket(0));
  assert.is(old.frames, 13, 'the old stream got everything up to the pause');
  assert.ok(old.ended, 'and the end of its stream');
  h.push(pcm(0.2, true, 20_000));
  assert.equal(received(h.socket(1)).audio, pcm(0.2, true, 20_000), 'new audio goes to the new stream only');
  // Results still coming on the old stream are delivered, at its own offset.
  h.socket(0).transcript([result('late words', { IsPartial: false })]);
  h.socket(1).transcript([result('new words')]);
  assert.equal(
    h.delivered.map((d) => d.offset),
    [0, 1.3],
  );
  h.socket(0).serverClose(1000);
  await h.vt.advance(10_000);
  assert.equal(h.errorCodes(), []);
  assert.is(h.sockets.length, 2);
});

test('switch without a pause: the audio moves after 2 s for settings, 10 s for a rotation', async () => {
  for (const [reason, ms] of [
    ['settings', 2000],
    ['rotation', 10_000],
  ] as const) {
    const h = new RouterHarness();
    await h.router.start();
    void h.router.switch(reason);
    await h.vt.settle();
    h.push(pcm(0.1));
    await h.vt.advance(ms - 1);
    assert.equal(streamNumbers(h), [1], `${reason}: still waiting for a pause`);
    await h.vt.advance(1);
    assert.equal(streamNumbers(h), [1, 2], `${reason}: moved at the bound`);
  }
});

test('a switch whose new stream fails is retried as a switch; the current one keeps the audio meanwhile', async () => {
  const h = new RouterHarness();
  await h.router.start();
  h.server.refusals = [500];
  void h.router.switch('settings');
  await h.vt.settle();
  assert.equal(h.errorCodes(), ['INTERNAL_FAILURE'], 'reported, not fatal');
  h.push(pcm(0.3));
  assert.is(received(h.socket(0)).frames, 3);
  await h.vt.advance(250);
  assert.is(h.sockets.length, 3, 'a new attempt at the switch');
  h.push(pcm(0.3, false));
  await h.vt.settle();
  assert.equal(streamNumbers(h), [1, 3]);
  assert.equal(h.fatal, []);
});

test('rotation before maxStreamDurationMs; a switch to fresh credentials, signed with the new ones', async () => {
  const h = new RouterHarness({ options: { maxStreamDurationMs: 5000 } });
  await h.router.start();
  h.push(pcm(0.3, false));
  await h.vt.advance(4999);
  assert.is(h.sockets.length, 1);
  await h.vt.advance(1);
  assert.is(h.sockets.length, 2, 'rotated at maxStreamDurationMs');
  assert.equal(streamNumbers(h), [1, 2], 'at once, since the speaker was pausing');

  let asked = 0;
  const MIN = 60_000;
  const c = new RouterHarness({
    provider: () => ({
      accessKeyId: `AKID${++asked}`,
      secretAccessKey: 'k',
      expiration: new Date(c.vt.now + 20 * MIN),
    }),
  });
  await c.router.start();
  await c.vt.advance(15 * MIN - 1);
  assert.is(c.sockets.length, 1);
  await c.vt.advance(1);
  assert.is(c.sockets.length, 2, 'refreshed 5 minutes before expiry');
  assert.equal(
    c.urls.map((u) => u.credentials.accessKeyId),
    ['AKID1', 'AKID2'],
  );
});

test('a switch and a reconnect waiting for credentials at once: each wait has its own bound', async () => {
  let calls = 0;
  const h: RouterHarness = new RouterHarness({
    options: { credentialsTimeoutMs: 1000, maxReconnectAttempts: 5 },
    // Short-lived credentials first (a refresh switch follows after 1 s); then the provider hangs.
    provider: () =>
      ++calls === 1 ? { ...KEYS, expiration: new Date(h.vt.now + 1000) } : new Promise<Credentials>(() => {}),
  });
  await h.router.start();
  await h.vt.advance(1100);
  assert.is(calls, 2, 'the refresh switch asks the provider, which hangs');
  // The current stream drops meanwhile: its reconnect waits for credentials too.
  h.socket(0).serverClose(1011);
  await h.vt.advance(1500);
  const timeouts = h.errors.filter((e) => e.error.code === 'CREDENTIALS_TIMEOUT');
  assert.is(timeouts.length, 2, `both waits timed out: ${JSON.stringify(h.errorCodes())}`);
  h.router.cancel();
});

// ---- stop ------------------------------------------------------------------------------------------

test('stop with a queued backlog: 1 s at once, the rest at twice real time, then end of stream; complete', async () => {
  const h = new RouterHarness({ manualOpen: true });
  void h.router.start();
  await h.vt.settle();
  const audio = pcm(3);
  h.push(audio);
  assert.ok(Math.abs(h.counters.bufferedSeconds - 3) < 1e-9, 'counted as buffered');
  const stopped = h.router.end();
  await h.vt.settle();
  h.socket(0).open();
  assert.equal(
    received(h.socket(0)),
    { audio: audio.subarray(0, 32_000), frames: 10, ended: false },
    'the first second at once',
  );
  await h.vt.advance(950);
  assert.equal([received(h.socket(0)).frames, received(h.socket(0)).ended], [29, false], 'a frame every 50 ms');
  await h.vt.advance(50);
  assert.equal(
    received(h.socket(0)),
    { audio, frames: 30, ended: true },
    'all of it, byte-exact, then the end of stream',
  );
  h.socket(0).serverClose(1000);
  assert.equal(await stopped, { complete: true, error: undefined });
  assert.equal(h.errorCodes(), []);
  assert.equal(
    (h.named('disconnected') as DisconnectedEvent[]).map((d) => d.willReconnect),
    [false],
  );
});

test("stop waits stopTimeoutMs plus the backlog's time at the catch-up pace, then gives up: TIMEOUT", async () => {
  const h = new RouterHarness({ manualOpen: true, options: { stopTimeoutMs: 1000 } });
  void h.router.start();
  await h.vt.settle();
  h.push(pcm(3));
  let outcome: unknown;
  void h.router.end().then((r) => (outcome = r));
  h.socket(0).open(); // drains in 1 s, then the server never answers the end of stream
  await h.vt.advance(2499);
  assert.is(outcome, undefined, 'within 1000 ms + 3 s / 2');
  await h.vt.advance(1);
  const r = outcome as { complete: boolean; error: TranscribeError };
  assert.is(r.complete, false);
  assert.is(r.error.code, 'TIMEOUT');
  assert.equal(h.errorCodes(), ['TIMEOUT!']);
  assert.ok(h.socket(0).closed, 'closed without the last results');
});

test('stop while a reconnect waits: with audio queued it reconnects to send it; with none it ends now', async () => {
  const h = new RouterHarness();
  await h.router.start();
  h.push(pcm(1));
  h.socket(0).serverClose(1011, 'going away');
  h.push(pcm(1, true, 16_000));
  const stopped = h.router.end();
  await h.vt.advance(1000);
  assert.is(h.sockets.length, 2);
  // First the second the failed stream carried (no final covered it: replayed), then the queued one.
  const audio = concatBytes([pcm(1), pcm(1, true, 16_000)]);
  assert.equal(received(h.socket(1)), { audio, frames: 20, ended: true });
  h.socket(1).serverClose(1000);
  assert.equal(await stopped, { complete: true, error: undefined });

  const e = new RouterHarness();
  await e.router.start();
  e.socket(0).serverClose(1011, 'going away');
  assert.equal(await e.router.end(), { complete: true, error: undefined });
  await e.vt.advance(60_000);
  assert.is(e.sockets.length, 1, 'no reconnect for nothing to send');
});

test('a draining stream that fails: reported when running; during stop it makes the stop incomplete', async () => {
  for (const stopping of [false, true]) {
    const h = new RouterHarness();
    await h.router.start();
    void h.router.switch('settings');
    h.push(pcm(0.3, false));
    await h.vt.settle();
    assert.equal(streamNumbers(h), [1, 2]);
    const stopped = stopping ? h.router.end() : undefined;
    h.socket(0).serverClose(1006, 'dropped');
    if (stopped) {
      h.socket(1).serverClose(1000);
      const r = await stopped;
      assert.is(r.complete, false);
      assert.is(r.error?.code, 'CONNECTION_LOST');
      assert.equal(h.errorCodes(), ['CONNECTION_LOST!']);
    } else {
      assert.equal(h.errorCodes(), ['CONNECTION_LOST']);
      await h.vt.advance(60_000);
      assert.is(h.sockets.length, 2, 'the current stream goes on; no reconnect for a draining one');
    }
  }
});

// ---- cancel ----------------------------------------------------------------------------------------

for (const closeInline of [false, true]) {
  for (const nextOpen of [false, true]) {
    const next = nextOpen ? 'open, waiting for a pause' : 'connecting';
    const close = closeInline ? 'inside' : 'after';
    test(`cancel during a switch (next ${next}; close ${close} close()): both close, no report, no retry`, async () => {
      const h = new RouterHarness({ manualOpen: true, closeInline });
      const started = h.router.start();
      await h.vt.settle();
      h.socket(0).open();
      await started;
      h.push(pcm(0.5));
      const switched = h.router.switch('settings');
      await h.vt.settle();
      if (nextOpen) h.socket(1).open();
      h.router.cancel();
      await switched;
      await h.vt.settle();
      assert.equal(
        h.sockets.map((s) => s.closed?.reason),
        ['cancelled', 'cancelled'],
      );
      await h.vt.advance(60_000);
      assert.is(h.sockets.length, 2);
      assert.equal(h.errorCodes(), []);
      assert.equal(h.named('connectionError'), []);
      assert.equal(h.named('disconnected'), []);
      assert.equal(streamNumbers(h), [1]);
    });
  }
}

// ---- giving up, and bugs -----------------------------------------------------------------------------

test('connect target: plain error is a fatal INTERNAL, cleaned; a retryable one retried; a bad URL fatal', async () => {
  // (The credential path turns a provider's plain error into NO_CREDENTIALS itself: signed-target.test.ts.)
  const h = new RouterHarness({
    provider: () => {
      throw new Error('profile has no SECRETKEY');
    },
  });
  const failed = await h.router.start();
  assert.is(failed?.code, 'INTERNAL');
  assert.is(failed?.message, 'no URL to connect to: Error: profile has no [redacted]');
  assert.equal(h.fatal, [failed]);
  assert.is(h.sockets.length, 0);

  let calls = 0;
  const r = new RouterHarness({
    provider: () => {
      if (++calls === 1) throw new TranscribeError('CREDENTIALS_TIMEOUT', 'slow', { retryable: true });
      return { accessKeyId: 'AKID', secretAccessKey: 'k' };
    },
  });
  const started = r.router.start();
  await r.vt.advance(250);
  assert.is(await started, undefined);
  assert.equal(r.errorCodes(), ['CREDENTIALS_TIMEOUT']);

  const u = new RouterHarness();
  u.makeUrl = () => {
    throw new OptionError('languageCode', 'not one Transcribe streams');
  };
  const bad = await u.router.start();
  assert.instance(bad, OptionError);
  assert.equal(u.fatal, [bad]);
  assert.is(u.sockets.length, 0);
});

test('a bug inside a connect is reported as INTERNAL (cleaned), never an unhandled rejection', async () => {
  const h = new RouterHarness();
  h.ctx.params = () => {
    throw new RangeError('broken with SECRETX');
  };
  void h.router.start();
  await h.vt.settle();
  assert.equal(h.errorCodes(), ['INTERNAL']);
  assert.is(
    h.errors[0]!.error.message,
    'internal error in transcribe-stream (please report it): RangeError: broken with [redacted]',
  );
  // One report, the error frame (the service logs an error frame nobody listens to).
  assert.not.ok(h.logs.some((l) => l.includes('SECRET')));
});

test.run();
