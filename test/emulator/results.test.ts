// What the scripted recognizer sends beyond growing partials, for clients that must handle it as
// AWS sends it: stabilisation updates (the same text, more items Stable: true) before a final,
// utterances segmented into several finals, and a processing delay before each final.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { audioEvent, endOfStream, OptionError, utf8Decode } from '../../dist/core/index.js';
import type { TranscribeUrlOptions, TranscriptResult } from '../../dist/core/index.js';
import { speechLikePcm, startEmulator } from '../../dist/emulator/index.js';
import type { AudioSegment, Emulator } from '../../dist/emulator/index.js';
import { openStream, send, streamUrl, withEmulator } from '../helpers/emulator-client.ts';

interface Arrival {
  result: TranscriptResult;
  /** Client clock when it arrived. */
  at: number;
}

interface Client {
  ws: WebSocket;
  arrivals: Arrival[];
  closed: Promise<number>;
}

async function connect(emu: Emulator, o: Partial<TranscribeUrlOptions> = {}): Promise<Client> {
  const arrivals: Arrival[] = [];
  const { ws, closed } = await openStream(streamUrl(emu, o), (m) => {
    const json = JSON.parse(utf8Decode(m.body)) as { Transcript?: { Results: TranscriptResult[] } };
    for (const result of json.Transcript?.Results ?? []) arrivals.push({ result, at: Date.now() });
  });
  return { ws, arrivals, closed: closed.then((c) => c.code) };
}

/** Sends `segments` as 100 ms AudioEvents, then the end of stream; resolves when the stream closed. */
async function stream(c: Client, segments: AudioSegment[]): Promise<TranscriptResult[]> {
  const pcm = speechLikePcm(segments);
  for (let i = 0; i < pcm.length; i += 3200) send(c.ws, audioEvent(pcm.subarray(i, i + 3200)));
  send(c.ws, endOfStream());
  assert.is(await c.closed, 1000);
  return c.arrivals.map((a) => a.result);
}

const text = (r: TranscriptResult): string => r.Alternatives[0]!.Transcript;
const stableFlags = (r: TranscriptResult): (boolean | undefined)[] => r.Alternatives[0]!.Items.map((i) => i.Stable);
/** A result with every Stable flag removed: what must not change in a stabilisation update. */
const withoutStable = (r: TranscriptResult): unknown => ({
  ...r,
  Alternatives: r.Alternatives.map((a) => ({ ...a, Items: a.Items.map(({ Stable: _, ...rest }) => rest) })),
});

// ---------------------------------------------------------------------------------------------------

const st = suite('emulator stabilisation');

st(
  'partials keep the last 1 / 2 / 3 words unstable (high / medium / low); then those turn stable one at a time, same ' +
    'text, before the final',
  async () => {
    for (const [stability, unstable] of [
      ['high', 1],
      ['medium', 2],
      ['low', 3],
    ] as const) {
      await withEmulator({ script: ['a b c d e f'] }, async (emu) => {
        const c = await connect(emu, { enablePartialResultsStabilization: true, partialResultsStability: stability });
        const rs = await stream(c, [{ speechMs: 1700 }, { silenceMs: 600 }]);
        // 6 growing partials, `unstable` stabilisation updates, 1 final.
        assert.is(rs.length, 6 + unstable + 1, stability);
        const growing = rs.slice(0, 6);
        assert.equal(
          growing.map((r) => r.Alternatives[0]!.Items.length),
          [1, 2, 3, 4, 5, 6],
        );
        for (const r of growing) {
          const flags = stableFlags(r);
          assert.equal(
            flags,
            flags.map((_, i) => i < flags.length - unstable),
            `${stability}: ${text(r)}`,
          );
        }
        const updates = rs.slice(6, 6 + unstable);
        let previous = growing.at(-1)!;
        for (const u of updates) {
          assert.ok(u.IsPartial);
          assert.equal(withoutStable(u), withoutStable(previous), `${stability}: only Stable changes`);
          const flags = stableFlags(u);
          const before = stableFlags(previous).filter(Boolean).length;
          assert.equal(
            flags,
            flags.map((_, i) => i < before + 1),
            `${stability}: one more stable word`,
          );
          previous = u;
        }
        assert.ok(stableFlags(previous).every(Boolean), 'everything stable before the final');
        const final = rs.at(-1)!;
        assert.is(final.IsPartial, false);
        assert.ok(stableFlags(final).every(Boolean));
        // A word's content and times do not change once it is stable.
        assert.equal(growing[unstable]!.Alternatives[0]!.Items[0], growing.at(-1)!.Alternatives[0]!.Items[0]);
      });
    }
  },
);

st('without stabilisation no partial repeats the one before it', async () => {
  for (const o of [{}, { enablePartialResultsStabilization: false }] as Partial<TranscribeUrlOptions>[]) {
    await withEmulator({ script: ['one two three four'] }, async (emu) => {
      const rs = await stream(await connect(emu, o), [{ speechMs: 1300 }, { silenceMs: 600 }]);
      assert.equal(rs.map(text), ['one', 'one two', 'one two three', 'one two three four', 'one two three four']);
      assert.equal(
        rs.map((r) => r.IsPartial),
        [true, true, true, true, false],
      );
    });
  }
});

st('speech resuming after a pause keeps what was stabilised', () =>
  withEmulator({ script: ['a b c d e'], vad: { endSilenceMs: 800 } }, async (emu) => {
    const c = await connect(emu, { enablePartialResultsStabilization: true, partialResultsStability: 'low' });
    const rs = await stream(c, [{ speechMs: 700 }, { silenceMs: 500 }, { speechMs: 800 }, { silenceMs: 900 }]);
    let stable = 0;
    for (const r of rs) {
      const n = stableFlags(r).filter(Boolean).length;
      assert.ok(n >= stable, `stable words never go back: ${n} after ${stable} (${text(r)})`);
      stable = n;
    }
    assert.equal(rs.filter((r) => !r.IsPartial).map(text), ['a b c d e']);
  }),
);

// ---------------------------------------------------------------------------------------------------

const seg = suite('emulator segmented utterances');

seg(
  'finals: each segment has its own ResultId, partials and final; a segment ends when the speech reaches the next one',
  () =>
    withEmulator({ script: [{ finals: ['Book a flight', 'to Boston on Monday.'] }] }, async (emu) => {
      const rs = await stream(await connect(emu), [{ silenceMs: 200 }, { speechMs: 1900 }, { silenceMs: 600 }]);
      assert.equal(
        rs.map((r) => [r.IsPartial, text(r)]),
        [
          [true, 'Book'],
          [true, 'Book a'],
          [true, 'Book a flight'],
          [false, 'Book a flight'],
          [true, 'to'],
          [true, 'to Boston'],
          [true, 'to Boston on'],
          [true, 'to Boston on Monday.'],
          [false, 'to Boston on Monday.'],
        ],
      );
      const [a, b] = [rs[0]!.ResultId, rs[4]!.ResultId];
      assert.not.equal(a, b);
      assert.ok(rs.slice(0, 4).every((r) => r.ResultId === a) && rs.slice(4).every((r) => r.ResultId === b));
      const finals = rs.filter((r) => !r.IsPartial);
      // The second segment starts where the first ended: 'to' was the 4th word, its slot 3 x 250 ms after 0.2 s.
      assert.is(finals[0]!.EndTime, finals[1]!.StartTime);
      assert.ok(
        Math.abs(finals[0]!.StartTime - 0.2) < 0.021 && Math.abs(finals[0]!.EndTime - 0.95) < 0.021,
        `${finals[0]!.StartTime}..${finals[0]!.EndTime}`,
      );
      assert.ok(Math.abs(finals[1]!.EndTime - 2.1) < 0.021, `end ${finals[1]!.EndTime}`);
      for (const r of finals) {
        const items = r.Alternatives[0]!.Items;
        assert.ok(
          items.every((i) => i.StartTime >= r.StartTime && i.EndTime <= r.EndTime),
          'items inside their result',
        );
      }
    }),
);

seg('an utterance that ends early sends every remaining final, in order, splitting the speech by words', () =>
  withEmulator({ script: [{ finals: ['one two', 'three four five six'] }, 'next'] }, async (emu) => {
    const rs = await stream(await connect(emu), [
      { speechMs: 400 },
      { silenceMs: 600 },
      { speechMs: 400 },
      { silenceMs: 600 },
    ]);
    const finals = rs.filter((r) => !r.IsPartial);
    assert.equal(finals.map(text), ['one two', 'three four five six', 'next']);
    assert.not.equal(finals[0]!.ResultId, finals[1]!.ResultId);
    // 0..0.4 s split 2:4 by words.
    assert.ok(
      Math.abs(finals[0]!.EndTime - 0.1333) < 0.001 && finals[1]!.StartTime === finals[0]!.EndTime,
      `${finals[0]!.EndTime}`,
    );
    assert.ok(Math.abs(finals[1]!.EndTime - 0.4) < 0.021);
  }),
);

seg('bad finals entries are OptionErrors naming the entry', async () => {
  for (const [script, words] of [
    [[{ finals: [] }], 'finals must be a non-empty array'],
    [[{ finals: ['ok', ' ... '] }], 'finals[1]'],
    [[{ finals: ['ok'], text: 'ok' }], 'not both'],
    [[{ text: 'ok', finalDelayMs: -1 }], 'finalDelayMs'],
  ] as const) {
    const err = await startEmulator({ script: script as never }).then(
      async (emu) => {
        await emu.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    assert.ok(err instanceof OptionError && err.option === 'script' && err.message.includes(words), String(err));
  }
  for (const bad of [-1, Number.NaN, Infinity, '5']) {
    const err = await startEmulator({ finalDelayMs: bad as number }).catch((e: unknown) => e);
    assert.ok(err instanceof OptionError && err.option === 'finalDelayMs', String(bad));
  }
});

// ---------------------------------------------------------------------------------------------------

const delay = suite('emulator final delay');

delay('finalDelayMs holds each final (and what follows it) that long; partials are not held', () =>
  withEmulator({ finalDelayMs: 400, script: ['first one', 'second one'] }, async (emu) => {
    const c = await connect(emu);
    const sent = Date.now();
    await stream(c, [{ speechMs: 600 }, { silenceMs: 600 }, { speechMs: 600 }, { silenceMs: 600 }]);
    const kinds = c.arrivals.map((a) => `${a.result.IsPartial ? 'p' : 'F'}:${text(a.result)}`);
    assert.equal(kinds, ['p:first', 'p:first one', 'F:first one', 'p:second', 'p:second one', 'F:second one']);
    const at = (i: number): number => c.arrivals[i]!.at - sent;
    assert.ok(at(0) < 300, `first partial after ${at(0)} ms`);
    assert.ok(at(2) >= 390, `first final after ${at(2)} ms`);
    // Order is kept: the next utterance's partials waited behind the final.
    assert.ok(at(3) >= at(2));
    // Audio sent at once: both finals were produced at once, and each waited its 400 ms (not 800).
    assert.ok(at(5) >= 390 && at(5) < 700, `second final after ${at(5)} ms`);
  }),
);

delay(
  'a script entry sets its own finalDelayMs; a segmented one gets finals that arrive apart, for time-to-last-final',
  () =>
    withEmulator(
      {
        finalDelayMs: 1000,
        script: [
          { text: 'quick', finalDelayMs: 0 },
          { finals: ['a b', 'c d'], finalDelayMs: 300 },
        ],
      },
      async (emu) => {
        const c = await connect(emu);
        const started = Date.now();
        const pcm = speechLikePcm([{ speechMs: 300 }, { silenceMs: 600 }]);
        for (let i = 0; i < pcm.length; i += 3200) send(c.ws, audioEvent(pcm.subarray(i, i + 3200)));
        // In real time: the segment boundary ('c' revealed at 600 ms of speech) comes well before the end.
        const second = speechLikePcm([{ speechMs: 1100 }, { silenceMs: 600 }]);
        for (let i = 0; i < second.length; i += 3200) {
          send(c.ws, audioEvent(second.subarray(i, i + 3200)));
          await new Promise((r) => setTimeout(r, 100));
        }
        send(c.ws, endOfStream());
        await c.closed;
        const finals = c.arrivals.filter((a) => !a.result.IsPartial);
        assert.equal(
          finals.map((a) => text(a.result)),
          ['quick', 'a b', 'c d'],
        );
        assert.ok(
          finals[0]!.at - started < 500,
          `the entry's 0 overrides the emulator's 1000 (${finals[0]!.at - started} ms)`,
        );
        const gap = finals[2]!.at - finals[1]!.at;
        assert.ok(gap >= 700, `the two finals of one utterance arrived ${gap} ms apart`);
      },
    ),
);

st.run();
seg.run();
delay.run();
