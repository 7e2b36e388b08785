// The emulator serves a whole test suite (or a soak) from one process: a stream that closed must
// let go of everything live at once (its decoder and any half-sent message, recognizer, timers),
// and what it keeps of past streams stays within `retain`. Heap checks need --expose-gc: without
// it the file runs itself again with the flag.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { audioEvent, crc32, endOfStream, OptionError } from '../../dist/core/index.js';
import { DEFAULT_RETAIN, EmulatorError, speechLikePcm, startEmulator } from '../../dist/emulator/index.js';
import type { Emulator, EmulatorOptions, EmulatorSession, Recognizer } from '../../dist/emulator/index.js';
import { openStream, send, streamUrl, withEmulator } from '../helpers/emulator-client.ts';

if (typeof globalThis.gc !== 'function') {
  // execArgv passed on: test/run.mjs's --import counts this child's suites.
  const r = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: process.env,
  });
  process.exit(r.status ?? 1);
}

const MiB = 1024 * 1024;
const gc = globalThis.gc as () => void;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function collect(): Promise<{ heap: number; buffers: number }> {
  for (let i = 0; i < 4; i++) {
    gc();
    await sleep(10);
  }
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
}

interface Client {
  ws: WebSocket;
  session: EmulatorSession;
  closed: Promise<number>;
}

async function connect(emu: Emulator): Promise<Client> {
  const next = emu.nextSession();
  // Nothing decoded: the client must not allocate much beside the emulator it measures.
  const { ws, closed } = await openStream(streamUrl(emu));
  return { ws, session: await next, closed: closed.then((c) => c.code) };
}

/** One whole stream: `pcm` as 100 ms AudioEvents, then the end of stream. */
async function streamOnce(emu: Emulator, pcm: Uint8Array): Promise<EmulatorSession> {
  const c = await connect(emu);
  for (let i = 0; i < pcm.length; i += 3200) send(c.ws, audioEvent(pcm.subarray(i, i + 3200)));
  send(c.ws, endOfStream());
  await c.closed;
  await c.session.closed;
  return c.session;
}

/** The start of an event-stream message declaring 16 MiB (the format's maximum): the decoder allocates it all. */
function hugePrelude(): Uint8Array {
  const part = new Uint8Array(64 * 1024);
  const v = new DataView(part.buffer);
  v.setUint32(0, 16 * MiB);
  v.setUint32(8, crc32(part.subarray(0, 8)));
  return part;
}

const released = (fn: () => unknown, code: string): EmulatorError => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof EmulatorError, String(err));
    assert.is(err.code, code);
    return err;
  }
  throw new Error(`expected ${code}`);
};

// ---------------------------------------------------------------------------------------------------

const live = suite('emulator: a closed stream lets go');

live('an abandoned half-sent 16 MiB message is freed when its stream closes, not when the emulator does', () =>
  withEmulator({}, async (emu) => {
    const base = await collect();
    const clients: Client[] = [];
    for (let i = 0; i < 4; i++) {
      const c = await connect(emu);
      send(c.ws, hugePrelude());
      clients.push(c);
    }
    await sleep(100);
    const held = await collect();
    // The measurement sees the buffers while the streams are open (so it can see a leak).
    assert.ok(
      held.buffers - base.buffers >= 60 * MiB,
      `open: +${((held.buffers - base.buffers) / MiB).toFixed(1)} MiB`,
    );
    for (const c of clients) c.ws.close(1000);
    for (const c of clients) await c.session.closed;
    const after = await collect();
    assert.ok(
      after.buffers - base.buffers < 4 * MiB,
      `closed: +${((after.buffers - base.buffers) / MiB).toFixed(1)} MiB still held`,
    );
    assert.is(emu.sessions.length, 4, 'the records stay');
  }),
);

live(
  'the recognizer (and whatever it holds) is collectable once its stream closed, though the record stays',
  async () => {
    const refs: WeakRef<Recognizer>[] = [];
    await withEmulator(
      {
        recognizer: () => {
          const r: Recognizer = { push: () => [], flush: () => [] };
          refs.push(new WeakRef(r));
          return r;
        },
      },
      async (emu) => {
        for (let i = 0; i < 3; i++) await streamOnce(emu, new Uint8Array(6400));
        const c = await connect(emu);
        await collect();
        assert.is(refs.length, 4);
        assert.equal(
          refs.map((r) => r.deref() !== undefined),
          [false, false, false, true],
          'closed streams let go of their recognizer; the open one keeps it',
        );
        assert.is(emu.sessions.length, 4);
        send(c.ws, endOfStream());
        await c.closed;
      },
    );
  },
);

live('queued sends and armed faults leave no timer behind once the stream closed', async () => {
  const timers = (): number => process.getActiveResourcesInfo().filter((t) => t === 'Timeout').length;
  for (const opts of [{ finalDelayMs: 60_000 }, {}] as EmulatorOptions[]) {
    await withEmulator({ ...opts, script: ['held back'] }, async (emu) => {
      const base = timers();
      const c = await connect(emu);
      emu.fault({ type: 'drop', afterMs: 60_000 });
      emu.fault({ type: 'stop-reading', afterFrames: 1000, forMs: 60_000 });
      // Results held for a minute (by finalDelayMs, or by a delay fault), then the client leaves.
      if (opts.finalDelayMs === undefined) emu.fault({ type: 'delay', ms: 60_000 });
      send(c.ws, audioEvent(speechLikePcm([{ speechMs: 600 }, { silenceMs: 600 }])));
      await sleep(100);
      assert.ok(timers() > base, 'the stream has timers while open');
      c.ws.close(1000);
      await c.session.closed;
      // At most as many as before: timers of earlier tests' clients may expire meanwhile (the
      // stream's own were 3 or more: idle, duration, queue, drop, stall).
      assert.ok(timers() <= base, `${timers()} timers once closed, ${base} before the stream`);
    });
  }
});

// ---------------------------------------------------------------------------------------------------

const keep = suite('emulator retain');

keep('defaults: 1000 ended sessions, 32 MiB of audio, 5000 events', () => {
  assert.equal(DEFAULT_RETAIN, { sessions: 1000, audioBytes: 32 * MiB, events: 5000 });
});

keep('retain.audioBytes: the oldest ended streams give up their audio first; counters stay', () =>
  withEmulator({ retain: { audioBytes: 150_000 } }, async (emu) => {
    const pcm = (seed: number): Uint8Array => new Uint8Array(64_000).map((_, i) => (i * seed) & 0xff);
    const [a, b, c] = [await streamOnce(emu, pcm(1)), await streamOnce(emu, pcm(3)), await streamOnce(emu, pcm(5))];
    assert.equal([a!.audioRetained, b!.audioRetained, c!.audioRetained], [false, true, true]);
    assert.equal([a!.audioBytes, b!.audioBytes, c!.audioBytes], [64_000, 64_000, 64_000]);
    assert.equal(b!.audio, pcm(3));
    assert.equal(c!.audio, pcm(5));
    const err = released(() => a!.audio, 'AUDIO_RELEASED');
    assert.match(err.message, /retain\.audioBytes \(150000\)/);
    assert.ok(a!.events.length > 0 || a!.eventCount === 0, 'events are kept apart from audio');
  }),
);

keep('an open stream keeps its audio until ended ones are gone; alone over the limit it stops recording', () =>
  withEmulator({ retain: { audioBytes: 100_000 } }, async (emu) => {
    const open = await connect(emu);
    send(open.ws, audioEvent(new Uint8Array(30_000)));
    const ended = await streamOnce(emu, new Uint8Array(60_000));
    await sleep(50);
    assert.equal([open.session.audioRetained, ended.audioRetained], [true, true]);
    // 30 + 60 + 30 > 100 kB: the ended stream goes first.
    send(open.ws, audioEvent(new Uint8Array(30_000)));
    await sleep(50);
    assert.equal([open.session.audioRetained, ended.audioRetained], [true, false]);
    assert.is(open.session.audio.length, 60_000);
    // 60 + 60 > 100 kB with nothing ended left to release: the open stream's own audio goes.
    send(open.ws, audioEvent(new Uint8Array(60_000)));
    send(open.ws, audioEvent(new Uint8Array(10_000)));
    send(open.ws, endOfStream());
    await open.closed;
    assert.is(open.session.audioRetained, false);
    assert.is(open.session.audioBytes, 130_000, 'still counted');
  }),
);

keep('retain.events and retain.sessions; 0 keeps nothing from the start', async () => {
  const speech = speechLikePcm([{ speechMs: 600 }, { silenceMs: 600 }]);
  await withEmulator({ retain: { events: 5, sessions: 2 }, script: ['one two'] }, async (emu) => {
    const s: EmulatorSession[] = [];
    for (let i = 0; i < 4; i++) s.push(await streamOnce(emu, speech));
    assert.equal(
      s.map((x) => x.eventCount),
      [3, 3, 3, 3],
      'two partials and a final each',
    );
    // Sessions: only the 2 newest ended ones are listed; the dropped ones released everything.
    assert.equal(emu.sessions, [s[2], s[3]]);
    assert.equal(
      s.map((x) => x.eventsRetained),
      [false, false, false, true],
      '5 events: the newest stream only',
    );
    assert.match(released(() => s[2]!.events, 'EVENTS_RELEASED').message, /retain\.events \(5\)/);
    assert.match(
      released(() => s[0]!.audio, 'AUDIO_RELEASED').message,
      /went with the session record: .* retain\.sessions \(2\)/,
    );
  });
  await withEmulator({ retain: { audioBytes: 0, events: 0 } }, async (emu) => {
    const x = await streamOnce(emu, speech);
    assert.equal([x.audioRetained, x.eventsRetained, x.audioBytes], [false, false, speech.length]);
    assert.match(released(() => x.audio, 'AUDIO_RELEASED').message, /was not kept \(retain\.audioBytes: 0\)/);
  });
});

keep('retain.*: Infinity keeps everything; bad values are OptionErrors naming the field', async () => {
  await withEmulator({ retain: { sessions: Infinity, audioBytes: Infinity, events: Infinity } }, async (emu) => {
    const x = await streamOnce(emu, new Uint8Array(3200));
    assert.is(x.audio.length, 3200);
  });
  for (const [retain, option] of [
    [{ audioBytes: -1 }, 'retain.audioBytes'],
    [{ sessions: 1.5 }, 'retain.sessions'],
    [{ events: Number.NaN }, 'retain.events'],
    [{ audio: false }, 'retain.audio'],
    [5, 'retain'],
  ] as const) {
    const err = await startEmulator({ retain: retain as never }).catch((e: unknown) => e);
    assert.ok(err instanceof OptionError && err.option === option, `${JSON.stringify(retain)}: ${String(err)}`);
  }
});

keep('100 streams of 10 s each: memory stays within retain, not with the number of streams', () =>
  withEmulator({ retain: { audioBytes: 2 * MiB, events: 500, sessions: 20 } }, async (emu) => {
    const segments = [];
    for (let t = 0; t < 10_000; t += 2000) segments.push({ speechMs: 1200 }, { silenceMs: 800 });
    const pcm = speechLikePcm(segments);
    await streamOnce(emu, pcm);
    const base = await collect();
    for (let i = 0; i < 100; i++) await streamOnce(emu, pcm);
    const after = await collect();
    const grew = (after.heap + after.buffers - base.heap - base.buffers) / MiB;
    // 100 x 320 kB = 30.5 MiB of audio went through; at most 2 MiB of it may stay.
    assert.ok(grew < 6, `grew ${grew.toFixed(1)} MiB`);
    assert.is(emu.sessions.length, 20);
  }),
);

live.run();
keep.run();
