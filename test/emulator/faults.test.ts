// Faults on demand: each one injected with a single fault() call, and what a client then sees.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { audioEvent, endOfStream, OptionError, utf8Decode } from '../../dist/core/index.js';
import { IDLE_TIMEOUT_MESSAGE, speechLikePcm } from '../../dist/emulator/index.js';
import type { Emulator, EmulatorOptions, EmulatorSession, FaultSpec } from '../../dist/emulator/index.js';
import { upgrade } from '../helpers/raw-upgrade.ts';
import { openStream, send, streamUrl, withEmulator } from '../helpers/emulator-client.ts';

/** The emulator with a 5 s idle timeout unless a test says otherwise. */
const withFaultsEmulator = (opts: EmulatorOptions, fn: (emu: Emulator) => Promise<void>): Promise<void> =>
  withEmulator({ idleTimeoutMs: 5000, ...opts }, fn);

interface Got {
  type: string;
  body: { Message?: string; Transcript?: unknown };
  /** Client clock when it arrived. */
  at: number;
}

interface Client {
  ws: WebSocket;
  session: EmulatorSession;
  got: Got[];
  openedAfterMs: number;
  closed: Promise<{ code: number; wasClean: boolean }>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const CHUNK = speechLikePcm([{ speechMs: 100 }]);

async function connect(emu: Emulator): Promise<Client> {
  const next = emu.nextSession();
  const started = Date.now();
  const got: Got[] = [];
  const { ws, closed } = await openStream(streamUrl(emu), (m) => {
    const h = (n: string): string => String(m.headers[n]?.value ?? '');
    got.push({
      type: h(':message-type') === 'exception' ? h(':exception-type') : h(':event-type'),
      body: JSON.parse(utf8Decode(m.body)),
      at: Date.now(),
    });
  });
  return { ws, session: await next, got, openedAfterMs: Date.now() - started, closed };
}

async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const f = suite('emulator faults');

f('refuse: 403 / 429 / 503 with AWS status, error type and body; `times` counts upgrades', () =>
  withFaultsEmulator({}, async (emu) => {
    const expected: [403 | 429 | 503, string][] = [
      [403, 'AccessDeniedException'],
      [429, 'LimitExceededException'],
      [503, 'ServiceUnavailableException'],
    ];
    for (const [status, type] of expected) {
      emu.fault({ type: 'refuse', status });
      const r = await upgrade(streamUrl(emu));
      assert.is(r.status, status);
      assert.is(r.headers['x-amzn-errortype'], type);
      const body = JSON.parse(r.body) as { Message?: string; message?: string };
      assert.ok((body.Message ?? body.message ?? '').length > 10, r.body);
      assert.match(String(r.headers['x-amzn-request-id']), /^[0-9a-f-]{36}$/);
    }
    emu.fault({ type: 'refuse', status: 503, times: 2, message: 'try later' });
    assert.is((await upgrade(streamUrl(emu))).status, 503);
    const second = await upgrade(streamUrl(emu));
    assert.equal([second.status, JSON.parse(second.body)], [503, { Message: 'try later' }]);
    assert.is((await upgrade(streamUrl(emu))).status, 101, 'refusals used up');
    assert.is(emu.sessions.length, 1, 'refused handshakes make no session');
  }),
);

f('drop after N ms: the TCP connection goes without a close frame (1006)', () =>
  withFaultsEmulator({}, async (emu) => {
    const c = await connect(emu);
    emu.fault({ type: 'drop', afterMs: 100 });
    send(c.ws, audioEvent(CHUNK));
    assert.equal(await c.closed, { code: 1006, wasClean: false });
    assert.is(await c.session.closed, 1006);
    assert.is(c.session.closeCode, 1006);
  }),
);

f('drop after N frames (armed for the next stream before it connects)', () =>
  withFaultsEmulator({}, async (emu) => {
    emu.fault({ type: 'drop', afterFrames: 3 });
    const c = await connect(emu);
    for (let i = 0; i < 6; i++) send(c.ws, audioEvent(CHUNK));
    assert.equal(await c.closed, { code: 1006, wasClean: false });
    assert.is(c.session.frames, 3);
    assert.is(c.session.audio.length, 3 * CHUNK.length);
    // It was for that stream only.
    const d = await connect(emu);
    send(d.ws, endOfStream());
    assert.is((await d.closed).code, 1000);
  }),
);

f('close 1011 (default code), immediately or after N frames; any server close code works', () =>
  withFaultsEmulator({}, async (emu) => {
    const c = await connect(emu);
    emu.fault({ type: 'close' });
    assert.equal(await c.closed, { code: 1011, wasClean: true });
    assert.is(c.session.closeCode, 1011);
    emu.fault({ type: 'close', code: 1001, afterFrames: 2, reason: 'going away' });
    const d = await connect(emu);
    send(d.ws, audioEvent(CHUNK));
    send(d.ws, audioEvent(CHUNK));
    assert.is((await d.closed).code, 1001);
    assert.is(d.session.frames, 2);
  }),
);

f('InternalFailure / ServiceUnavailable / LimitExceeded mid-stream: exception message, then close', async () => {
  for (const exceptionType of [
    'InternalFailureException',
    'ServiceUnavailableException',
    'LimitExceededException',
  ] as const) {
    await withFaultsEmulator({ script: ['Before the failure.'] }, async (emu) => {
      const c = await connect(emu);
      emu.fault({ type: 'exception', exceptionType, afterFrames: 10 });
      c.ws.send(audioEvent(speechLikePcm([{ speechMs: 600 }, { silenceMs: 600 }])) as Uint8Array<ArrayBuffer>);
      for (let i = 0; i < 12; i++) send(c.ws, audioEvent(CHUNK));
      assert.is((await c.closed).code, 1000);
      const last = c.got.at(-1)!;
      assert.is(last.type, exceptionType);
      assert.ok((last.body.Message ?? '').length > 10);
      assert.ok(
        c.got.slice(0, -1).every((g) => g.type === 'TranscriptEvent') && c.got.length > 1,
        'results before the failure were delivered',
      );
      assert.is(c.session.frames, 10, 'nothing read after the fault fired');
      const recorded = c.session.events.at(-1)!;
      assert.is(recorded.type === 'exception' && recorded.exceptionType, exceptionType);
    });
  }
  await withFaultsEmulator({}, async (emu) => {
    const c = await connect(emu);
    emu.fault({ type: 'exception', exceptionType: 'InternalFailureException', message: 'custom text', afterMs: 50 });
    await c.closed;
    assert.equal(
      c.got.map((g) => [g.type, g.body.Message]),
      [['InternalFailureException', 'custom text']],
    );
  });
});

f('idle-timeout while audio flows: the same BadRequestException and close as the real idle timeout', async () => {
  // The real one first (idleTimeoutMs), as the reference the fault must reproduce.
  const real = await withRecorded({ idleTimeoutMs: 150 }, async (c) => {
    await c.closed;
  });
  const injected = await withRecorded({}, async (c, emu) => {
    emu.fault({ type: 'idle-timeout', afterFrames: 5 });
    // Audio (silence: no results in the way) every 20 ms: the stream is anything but idle when the fault fires.
    for (let i = 0; i < 8 && c.ws.readyState === WebSocket.OPEN; i++) {
      send(c.ws, audioEvent(new Uint8Array(3200)));
      await sleep(20);
    }
    await c.closed;
    assert.is(c.session.frames, 5, 'nothing read after the fault fired');
  });
  for (const r of [real, injected]) {
    assert.equal(r.got, [['BadRequestException', IDLE_TIMEOUT_MESSAGE]]);
    assert.equal(r.close, { code: 1000, wasClean: true });
    assert.is(r.closeCode, 1000);
    assert.equal(r.recorded, [
      { type: 'exception', exceptionType: 'BadRequestException', message: IDLE_TIMEOUT_MESSAGE },
    ]);
  }
  // It also fires on time, and as a bad spec it is refused like any other.
  await withFaultsEmulator({}, async (emu) => {
    const c = await connect(emu);
    emu.fault({ type: 'idle-timeout', afterMs: 50 });
    send(c.ws, audioEvent(new Uint8Array(3200)));
    assert.is((await c.closed).code, 1000);
    assert.equal(
      c.got.map((g) => g.body.Message),
      [IDLE_TIMEOUT_MESSAGE],
    );
    assert.throws(
      () => emu.fault({ type: 'idle-timeout', afterFrames: -1 }),
      (e: unknown) => e instanceof OptionError && e.option === 'fault.afterFrames',
    );
  });
});

/** What a client and the session record saw of one stream that `run` ends. */
async function withRecorded(opts: EmulatorOptions, run: (c: Client, emu: Emulator) => Promise<void>) {
  let out:
    | {
        got: [string, string | undefined][];
        close: { code: number; wasClean: boolean };
        closeCode: number | undefined;
        recorded: unknown[];
      }
    | undefined;
  await withFaultsEmulator(opts, async (emu) => {
    const c = await connect(emu);
    await run(c, emu);
    out = {
      got: c.got.map((g) => [g.type, g.body.Message]),
      close: await c.closed,
      closeCode: await c.session.closed,
      recorded: c.session.events.map((e) =>
        e.type === 'exception' ? { type: e.type, exceptionType: e.exceptionType, message: e.message } : e,
      ),
    };
  });
  return out!;
}

f('delay: the upgrade and every response come D ms late, in order', () =>
  withFaultsEmulator({ script: ['One.', 'Two.'] }, async (emu) => {
    const D = 250;
    const handle = emu.fault({ type: 'delay', ms: D });
    const c = await connect(emu);
    assert.ok(c.openedAfterMs >= D - 10, `upgrade after ${c.openedAfterMs} ms`);
    send(c.ws, audioEvent(speechLikePcm([{ speechMs: 400 }, { silenceMs: 600 }, { speechMs: 400 }])));
    send(c.ws, endOfStream());
    await c.closed;
    const sent = c.session.events;
    assert.ok(sent.length >= 4);
    assert.is(c.got.length, sent.length);
    for (let i = 0; i < sent.length; i++) {
      assert.ok(
        c.got[i]!.at - sent[i]!.at >= D - 10,
        `event ${i} came ${c.got[i]!.at - sent[i]!.at} ms after it was produced`,
      );
    }
    assert.equal(
      c.got.map((g) => JSON.stringify(g.body)),
      sent.map((e) => JSON.stringify(e.type === 'TranscriptEvent' ? e.transcript : null)),
    );
    handle.clear();
    const d = await connect(emu);
    assert.ok(d.session.events.length === 0);
    send(d.ws, endOfStream());
    await d.closed;
  }),
);

f('stop-reading: nothing is read while stalled (no idle timeout either), everything arrives after clear()', () =>
  withFaultsEmulator({ idleTimeoutMs: 300 }, async (emu) => {
    const c = await connect(emu);
    send(c.ws, audioEvent(CHUNK));
    await until(() => c.session.audio.length === CHUNK.length, 'the first chunk');
    const stall = emu.fault({ type: 'stop-reading' });
    const big = new Uint8Array(32000);
    for (let i = 0; i < 64; i++) send(c.ws, audioEvent(big)); // 2 MB the client must hold or the kernel buffers
    await sleep(600); // twice the idle timeout
    assert.is(c.session.audio.length, CHUNK.length, 'not read while stalled');
    assert.equal(
      c.got.filter((g) => g.type !== 'TranscriptEvent'),
      [],
      'no idle timeout while the server is the one not reading',
    );
    stall.clear();
    await until(() => c.session.audio.length === CHUNK.length + 64 * 32000, 'the backlog');
    send(c.ws, endOfStream());
    assert.is((await c.closed).code, 1000);
  }),
);

f('stop-reading for a while (forMs) resumes by itself', () =>
  withFaultsEmulator({}, async (emu) => {
    const c = await connect(emu);
    emu.fault({ type: 'stop-reading', forMs: 300, afterFrames: 1 });
    send(c.ws, audioEvent(CHUNK));
    await until(() => c.session.frames === 1, 'the first frame');
    send(c.ws, audioEvent(CHUNK));
    await sleep(150);
    assert.is(c.session.frames, 1);
    await until(() => c.session.frames === 2, 'reading again');
    send(c.ws, endOfStream());
    assert.is((await c.closed).code, 1000);
  }),
);

f('targets: current streams by default, next when none is open, all until cleared; clear() disarms', () =>
  withFaultsEmulator({}, async (emu) => {
    const a = await connect(emu);
    const b = await connect(emu);
    emu.fault({ type: 'close', code: 4001 }); // both open streams
    assert.is((await a.closed).code, 4001);
    assert.is((await b.closed).code, 4001);

    const all = emu.fault({ type: 'close', code: 4002, afterFrames: 1, target: 'all' });
    for (let i = 0; i < 2; i++) {
      const c = await connect(emu);
      send(c.ws, audioEvent(CHUNK));
      assert.is((await c.closed).code, 4002);
    }
    all.clear();
    const pending = emu.fault({ type: 'drop', afterFrames: 1 }); // none open: the next stream
    pending.clear();
    const c = await connect(emu);
    send(c.ws, audioEvent(CHUNK));
    send(c.ws, endOfStream());
    assert.is((await c.closed).code, 1000, 'cleared faults never fire');

    const d = await connect(emu);
    emu.fault({ type: 'drop', afterMs: 50 });
    emu.clearFaults();
    await sleep(100);
    send(d.ws, endOfStream());
    assert.is((await d.closed).code, 1000);
  }),
);

f('bad fault specs are OptionErrors naming the field', () =>
  withFaultsEmulator({}, async (emu) => {
    const bad: [unknown, string][] = [
      [{ type: 'explode' }, 'fault.type'],
      [{ type: 'refuse', status: 418 }, 'fault.status'],
      [{ type: 'close', code: 1006 }, 'fault.code'],
      [{ type: 'exception', exceptionType: 'NopeException' }, 'fault.exceptionType'],
      [{ type: 'delay' }, 'fault.ms'],
      [{ type: 'drop', afterMs: -1 }, 'fault.afterMs'],
      [{ type: 'drop', afterFrames: 1.5 }, 'fault.afterFrames'],
      [{ type: 'drop', target: 'later' }, 'fault.target'],
    ];
    for (const [spec, option] of bad) {
      try {
        emu.fault(spec as FaultSpec);
        assert.unreachable(JSON.stringify(spec));
      } catch (err) {
        assert.instance(err, OptionError);
        assert.is((err as OptionError).option, option, JSON.stringify(spec));
      }
    }
  }),
);

f.run();
