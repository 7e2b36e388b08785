// The plugin's SpeechEvents against what a server may send: the ChannelIds AWS uses ('' without
// channel identification, ch_0 and ch_1 with it) each have their own segment; any other id counts
// as the default channel, as in the service's own de-duplication, so neither the interim texts nor
// the open segments grow with the ids a server makes up, and such a segment still ends.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import v8 from 'node:v8';
import vm from 'node:vm';
import { initializeLogger, stt as lk } from '@livekit/agents';
import type { InterimTranscriptionFrame, TranscriptionFrame } from '../../../dist/adapters/node.js';
import { SpeechEvents } from '../../../dist/adapters/livekit/speech-events.js';

initializeLogger({ pretty: false, level: 'warn' });

const NAMES = ['START', 'INTERIM', 'FINAL', 'END', 'USAGE', 'PREFLIGHT'];

function frame<T extends 'interimTranscription' | 'transcription'>(
  type: T,
  text: string,
  channel: string | undefined,
): { type: T } & Omit<InterimTranscriptionFrame, 'type'> {
  return {
    type,
    text,
    userId: '',
    timestamp: new Date(0).toISOString(),
    language: 'en-US',
    result: {
      ResultId: 'r',
      StartTime: 0.1,
      EndTime: 0.9,
      IsPartial: type === 'interimTranscription',
      ...(channel === undefined ? {} : { ChannelId: channel }),
      Alternatives: [{ Transcript: text, Items: [] }],
    },
  };
}
const interim = (text: string, channel?: string): InterimTranscriptionFrame =>
  frame('interimTranscription', text, channel);
const final = (text: string, channel?: string): TranscriptionFrame => frame('transcription', text, channel);

function events(): { sink: SpeechEvents; seen: lk.SpeechEvent[]; names: () => string } {
  const seen: lk.SpeechEvent[] = [];
  const sink = new SpeechEvents({ put: (e) => seen.push(e), interimResults: true, offset: () => 0, now: () => 0 });
  const names = (): string =>
    seen.map((e) => `${NAMES[e.type]}${e.alternatives ? `(${e.alternatives[0].text})` : ''}`).join(' ');
  return { sink, seen, names };
}

test("'', ch_0 and ch_1 are segments of their own: speech ends when the last one closes", () => {
  const { sink, names } = events();
  sink.interim(interim('hi', 'ch_0'));
  sink.interim(interim('hi', 'ch_1'));
  sink.final(final('hi there', 'ch_0'));
  assert.ok(sink.speaking, 'ch_1 is still open');
  sink.final(final('hi you', 'ch_1'));
  assert.is(names(), 'START INTERIM(hi) INTERIM(hi) FINAL(hi there) FINAL(hi you) END');
});

test('an unknown ChannelId is the default channel: one segment, one de-duplication, and it ends', () => {
  const { sink, names } = events();
  // A server that makes up an id per result: segments and repeats are still told apart.
  sink.interim(interim('hello', 'ch_x1'));
  sink.interim(interim('hello', 'ch_x2'));
  sink.interim(interim('hello', undefined));
  sink.final(final('hello there', 'ch_x3'));
  assert.is(names(), 'START INTERIM(hello) FINAL(hello there) END');
  assert.not.ok(sink.speaking);
});

test('partials with a new ChannelId each do not pile up', () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const heap = (): number => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  // The events are counted, not kept: what stays is what the SpeechEvents keeps.
  let interims = 0;
  const sink = new SpeechEvents({
    put: (e) => void (e.type === lk.SpeechEventType.INTERIM_TRANSCRIPT && interims++),
    interimResults: true,
    offset: () => 0,
  });
  const size = 512 * 1024;
  const count = 64;
  const bytes = new Uint8Array(size).fill(0x77);
  const decoder = new TextDecoder();
  const before = heap();
  for (let i = 0; i < count; i++) {
    bytes[0] = 0x61 + (i % 26);
    bytes[1] = 0x61 + Math.floor(i / 26);
    // A string of its own, as each message's JSON makes one (not a slice of a shared one).
    sink.interim(interim(decoder.decode(bytes), `ch_x${i}`));
  }
  const grew = heap() - before;
  const mb = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;
  console.log(
    `note: livekit: ${count} partials of ${size / 1024} KiB on unique ChannelIds (${interims} INTERIM events): ` +
      `heap +${mb(grew)}`,
  );
  assert.is(interims, count, 'each text is new: each is an event');
  assert.ok(grew < 4 * 2 ** 20, `the interim texts are kept per ChannelId: heap +${mb(grew)} (limit 4 MiB)`);
});

test.run();
