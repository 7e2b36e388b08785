// The emulator's stream: event-stream framing (several messages per frame, split messages, signed
// envelopes with a chained :chunk-signature), the ways a stream ends, bad frames, the idle timeout,
// the maximum duration, and the scripted TranscriptEvents in AWS's JSON shape.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { audioEvent, encodeMessage, endOfStream, hmacSha256, MessageDecoder, sha256, toHex, transcribeUrl, utf8Decode } from '../dist/core/index.js';
import type { Message, TranscribeUrlOptions, TranscriptResult } from '../dist/core/index.js';
import { IDLE_TIMEOUT_MESSAGE, speechLikePcm, startEmulator } from '../dist/emulator/index.js';
import type { AudioSegment, Emulator, EmulatorOptions, EmulatorSession } from '../dist/emulator/index.js';
import { concatBytes } from './helpers/bytes.ts';

type Received = { kind: 'transcript'; result: TranscriptResult; raw: unknown } | { kind: 'exception'; type: string; message: string };

interface Client {
  ws: WebSocket;
  url: string;
  session: EmulatorSession;
  received: Received[];
  closed: Promise<{ code: number; wasClean: boolean }>;
  /** Sends `pcm` as AudioEvents of `chunkMs` (16-bit, the session's rate and channels). */
  sendAudio(pcm: Uint8Array, chunkBytes?: number): void;
}

async function connect(emu: Emulator, o: Partial<TranscribeUrlOptions> = {}): Promise<Client> {
  const url = transcribeUrl({
    region: 'us-east-1',
    credentials: emu.credentials,
    endpoint: emu.endpoint,
    sampleRate: 16000,
    ...(o.identifyLanguage || o.identifyMultipleLanguages ? {} : { languageCode: 'en-US' }),
    ...o,
  } as TranscribeUrlOptions);
  const next = emu.nextSession();
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  const received: Received[] = [];
  const decoder = new MessageDecoder();
  ws.onmessage = (e) => {
    for (const m of decoder.push(new Uint8Array(e.data as ArrayBuffer))) received.push(classify(m));
  };
  const closed = new Promise<{ code: number; wasClean: boolean }>((resolve) => (ws.onclose = (e) => resolve({ code: e.code, wasClean: e.wasClean })));
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error('handshake refused'));
  });
  const session = await next;
  return {
    ws,
    url,
    session,
    received,
    closed,
    sendAudio(pcm, chunkBytes = 3200) {
      for (let i = 0; i < pcm.length; i += chunkBytes) send(ws, audioEvent(pcm.subarray(i, i + chunkBytes)));
    },
  };
}

function classify(m: Message): Received {
  const header = (n: string): string => {
    const h = m.headers[n];
    return h && h.type === 'string' ? h.value : '';
  };
  const json = JSON.parse(utf8Decode(m.body)) as { Transcript?: { Results: TranscriptResult[] }; Message?: string };
  if (header(':message-type') === 'exception') return { kind: 'exception', type: header(':exception-type'), message: json.Message ?? '' };
  assert.is(header(':event-type'), 'TranscriptEvent');
  assert.is(header(':content-type'), 'application/json');
  assert.is(json.Transcript!.Results.length, 1);
  return { kind: 'transcript', result: json.Transcript!.Results[0]!, raw: json };
}

/** WebSocket.send's DOM type wants ArrayBuffer-backed views; ours are. */
const send = (ws: WebSocket, data: Uint8Array | string): void => ws.send(data as Uint8Array<ArrayBuffer> | string);
const results = (c: Client): TranscriptResult[] => c.received.flatMap((r) => (r.kind === 'transcript' ? [r.result] : []));
const exceptions = (c: Client): { type: string; message: string }[] =>
  c.received.flatMap((r) => (r.kind === 'exception' ? [{ type: r.type, message: r.message }] : []));
const concat = (...parts: Uint8Array[]): Uint8Array => concatBytes(parts);
const pcm = (segments: AudioSegment[], channels = 1, sampleRate = 16000): Uint8Array => speechLikePcm(segments, { channels, sampleRate });

async function withEmulator(opts: EmulatorOptions, fn: (emu: Emulator) => Promise<void>): Promise<void> {
  const emu = await startEmulator(opts);
  try {
    await fn(emu);
  } finally {
    await emu.close();
  }
}

/** Ends the stream with the empty AudioEvent and waits for the close. */
async function finish(c: Client): Promise<{ code: number; wasClean: boolean }> {
  send(c.ws, endOfStream());
  return c.closed;
}

// ---------------------------------------------------------------------------------------------------

const tr = suite('emulator transcripts');

tr('partials reveal the scripted words with the speech, then the final keeps the ResultId', () =>
  withEmulator({ script: ['Hello there, general Kenobi.'] }, async (emu) => {
    const c = await connect(emu);
    const audio = pcm([{ silenceMs: 200 }, { speechMs: 1200 }, { silenceMs: 800 }]);
    c.sendAudio(audio);
    const close = await finish(c);
    assert.equal(close, { code: 1000, wasClean: true });
    const rs = results(c);
    // Default VAD: a word every 250 ms of speech after the first 100 ms -> 4 partials over 1.2 s.
    assert.equal(rs.map((r) => [r.IsPartial, r.Alternatives[0]!.Transcript]), [
      [true, 'Hello'],
      [true, 'Hello there,'],
      [true, 'Hello there, general'],
      [true, 'Hello there, general Kenobi.'],
      [false, 'Hello there, general Kenobi.'],
    ]);
    assert.is(new Set(rs.map((r) => r.ResultId)).size, 1);
    assert.match(rs[0]!.ResultId, /^[0-9a-f-]{36}$/);
    const final = rs.at(-1)!;
    // Times are seconds from stream start: speech ran from 0.2 s to 1.4 s.
    assert.ok(Math.abs(final.StartTime - 0.2) < 0.021, `start ${final.StartTime}`);
    assert.ok(Math.abs(final.EndTime - 1.4) < 0.021, `end ${final.EndTime}`);
    const items = final.Alternatives[0]!.Items;
    assert.equal(items.map((i) => [i.Type, i.Content]), [
      ['pronunciation', 'Hello'],
      ['pronunciation', 'there'],
      ['punctuation', ','],
      ['pronunciation', 'general'],
      ['pronunciation', 'Kenobi'],
      ['punctuation', '.'],
    ]);
    let last = final.StartTime;
    for (const item of items) {
      assert.ok(item.StartTime >= last - 1e-9 && item.EndTime >= item.StartTime && item.EndTime <= final.EndTime + 1e-9, JSON.stringify(item));
      last = item.StartTime;
      assert.is(item.VocabularyFilterMatch, false);
      assert.is('Stable' in item, false, 'no Stable without stabilization');
      if (item.Type === 'pronunciation') assert.ok(item.Confidence! > 0.8 && item.Confidence! <= 1);
      else assert.is(item.Confidence, undefined);
    }
    for (const p of rs.slice(0, -1)) for (const item of p.Alternatives[0]!.Items) assert.is(item.Confidence, undefined, 'partials carry no confidence');
    // The session kept every PCM byte and what it sent.
    assert.equal(c.session.audio, audio);
    assert.is(c.session.closeCode, 1000);
    assert.equal(
      c.session.events.map((e) => (e.type === 'TranscriptEvent' ? e.transcript : e)),
      c.received.map((r) => (r.kind === 'transcript' ? r.raw : r)),
    );
  }),
);

tr('the JSON shape is exactly AWS\'s (field names and which fields appear)', () =>
  withEmulator({ script: ['One two.'] }, async (emu) => {
    const c = await connect(emu, { enablePartialResultsStabilization: true, showSpeakerLabel: true });
    c.sendAudio(pcm([{ speechMs: 700 }, { silenceMs: 600 }]));
    await finish(c);
    const event = c.session.events.at(-1)!;
    assert.is(event.type, 'TranscriptEvent');
    const json = JSON.parse(JSON.stringify(event.type === 'TranscriptEvent' ? event.transcript : null));
    assert.equal(Object.keys(json), ['Transcript']);
    assert.equal(Object.keys(json.Transcript), ['Results']);
    const r = json.Transcript.Results[0];
    assert.equal(Object.keys(r).sort(), ['Alternatives', 'EndTime', 'IsPartial', 'ResultId', 'StartTime']);
    assert.equal(Object.keys(r.Alternatives[0]).sort(), ['Items', 'Transcript']);
    assert.equal(Object.keys(r.Alternatives[0].Items[0]).sort(), ['Confidence', 'Content', 'EndTime', 'Speaker', 'Stable', 'StartTime', 'Type', 'VocabularyFilterMatch']);
    assert.equal(Object.keys(r.Alternatives[0].Items[2]).sort(), ['Content', 'EndTime', 'Stable', 'StartTime', 'Type', 'VocabularyFilterMatch']);
  }),
);

tr('utterances take the script in order; speech after the script ends gets no result; clicks are ignored', () =>
  withEmulator({ script: ['First one.', 'Second one.'] }, async (emu) => {
    const c = await connect(emu);
    c.sendAudio(pcm([{ speechMs: 600 }, { silenceMs: 600 }, { speechMs: 40 }, { silenceMs: 600 }, { speechMs: 600 }, { silenceMs: 600 }, { speechMs: 600 }, { silenceMs: 600 }]));
    await finish(c);
    const finals = results(c).filter((r) => !r.IsPartial);
    assert.equal(finals.map((r) => r.Alternatives[0]!.Transcript), ['First one.', 'Second one.']);
    assert.is.not(finals[0]!.ResultId, finals[1]!.ResultId);
    // The 40 ms click did not consume "Second one.": it was recognised on the next real speech.
    assert.ok(finals[1]!.StartTime > 1.8, `second utterance at ${finals[1]!.StartTime}`);
  }),
);

tr('a script function sees the session; a custom recognizer replaces the scripted one', async () => {
  const seen: string[] = [];
  await withEmulator(
    {
      script: (s) => {
        seen.push(`${s.id} ${s.sampleRate} ${s.channels} ${s.query['language-code']}`);
        return [`Rate ${s.sampleRate}.`];
      },
    },
    async (emu) => {
      const c = await connect(emu, { sessionId: '6ba7b810-9dad-41d1-80b4-00c04fd430c8', sampleRate: 8000 });
      c.sendAudio(pcm([{ speechMs: 400 }, { silenceMs: 600 }], 1, 8000), 1600);
      await finish(c);
      assert.equal(seen, ['6ba7b810-9dad-41d1-80b4-00c04fd430c8 8000 1 en-US']);
      const final = results(c).at(-1)!;
      assert.is(final.Alternatives[0]!.Transcript, 'Rate 8000.');
      // 8 kHz: 400 ms of speech is 6400 bytes, and the times say 0.4 s.
      assert.ok(Math.abs(final.EndTime - 0.4) < 0.021, `end ${final.EndTime}`);
    },
  );
  let pushed = 0;
  await withEmulator(
    {
      recognizer: (ctx) => ({
        push: (audio) => {
          pushed += audio.length;
          return [];
        },
        flush: () => [
          { ResultId: 'custom', StartTime: 0, EndTime: pushed / 32000, IsPartial: false, Alternatives: [{ Transcript: `${ctx.script.length}`, Items: [] }] },
        ],
      }),
    },
    async (emu) => {
      const c = await connect(emu);
      c.sendAudio(new Uint8Array(32000));
      await finish(c);
      assert.is(pushed, 32000);
      assert.equal(results(c), [{ ResultId: 'custom', StartTime: 0, EndTime: 1, IsPartial: false, Alternatives: [{ Transcript: '3', Items: [] }] }]);
    },
  );
});

tr('two channels: each channel\'s speech gets its own results with ChannelId ch_0 / ch_1', () =>
  withEmulator({ script: ['Agent speaks.', 'Caller answers.'] }, async (emu) => {
    const c = await connect(emu, { enableChannelIdentification: true, numberOfChannels: 2 });
    c.sendAudio(pcm([{ speechMs: 600, channels: [1] }, { silenceMs: 700 }, { speechMs: 600, channels: [0] }, { silenceMs: 700 }], 2), 6400);
    await finish(c);
    const finals = results(c).filter((r) => !r.IsPartial);
    assert.equal(finals.map((r) => [r.ChannelId, r.Alternatives[0]!.Transcript]), [
      ['ch_1', 'Agent speaks.'],
      ['ch_0', 'Caller answers.'],
    ]);
    for (const r of results(c)) assert.ok(r.ChannelId === 'ch_0' || r.ChannelId === 'ch_1');
    assert.is(c.session.audio.length, 2 * 2 * 16000 * 2.6);
  }),
);

tr('speaker labels: "0" by default, or the script entry\'s speaker', () =>
  withEmulator({ script: ['Hi.', { text: 'Hello.', speaker: '1' }] }, async (emu) => {
    const c = await connect(emu, { showSpeakerLabel: true });
    c.sendAudio(pcm([{ speechMs: 300 }, { silenceMs: 600 }, { speechMs: 300 }, { silenceMs: 600 }]));
    await finish(c);
    const finals = results(c).filter((r) => !r.IsPartial);
    assert.equal(
      finals.map((r) => r.Alternatives[0]!.Items.map((i) => i.Speaker)),
      [['0', undefined], ['1', undefined]],
    );
  }),
);

tr('language identification: LanguageCode and LanguageIdentification on every result', () =>
  withEmulator({ script: ['Bonjour.', { text: 'Hallo.', languageCode: 'de-DE' }] }, async (emu) => {
    const c = await connect(emu, { identifyLanguage: true, languageOptions: ['en-US', 'fr-FR', 'de-DE'], preferredLanguage: 'fr-FR' });
    c.sendAudio(pcm([{ speechMs: 300 }, { silenceMs: 600 }, { speechMs: 300 }, { silenceMs: 600 }]));
    await finish(c);
    const rs = results(c);
    assert.ok(rs.length >= 2);
    const finals = rs.filter((r) => !r.IsPartial);
    assert.equal(finals.map((r) => r.LanguageCode), ['fr-FR', 'de-DE']);
    for (const r of rs) {
      const ids = r.LanguageIdentification!;
      assert.equal(ids.map((l) => l.LanguageCode).sort(), ['de-DE', 'en-US', 'fr-FR']);
      assert.is(ids[0]!.LanguageCode, r.LanguageCode);
      assert.ok(ids[0]!.Score > ids[1]!.Score && ids.reduce((s, l) => s + l.Score, 0) <= 1.0001);
    }
  }),
);

tr('medical results drop Stable, VocabularyFilterMatch and the language fields', () =>
  withEmulator({ script: ['Take two tablets.'] }, async (emu) => {
    const c = await connect(emu, { medical: true, specialty: 'PRIMARYCARE', type: 'DICTATION' });
    c.sendAudio(pcm([{ speechMs: 900 }, { silenceMs: 600 }]));
    await finish(c);
    const final = results(c).at(-1)!;
    assert.is(final.Alternatives[0]!.Transcript, 'Take two tablets.');
    assert.is(final.LanguageCode, undefined);
    for (const item of final.Alternatives[0]!.Items) {
      assert.is('Stable' in item, false);
      assert.is('VocabularyFilterMatch' in item, false);
    }
  }),
);

tr('compressed audio (flac) cannot be measured: the next script entry is the final at end of stream', () =>
  withEmulator({ script: ['Compressed speech.'] }, async (emu) => {
    const c = await connect(emu, { mediaEncoding: 'flac' });
    const bytes = new Uint8Array(5000).map((_, i) => (i * 7) & 0xff);
    c.sendAudio(bytes, 1000);
    assert.is((await finish(c)).code, 1000);
    assert.equal(results(c).map((r) => [r.IsPartial, r.Alternatives[0]!.Transcript]), [[false, 'Compressed speech.']]);
    assert.equal(c.session.audio, bytes, 'the bytes are recorded as received');
  }),
);

tr('a recognizer that throws ends the stream with InternalFailureException, not the emulator', () =>
  withEmulator(
    {
      recognizer: () => ({
        push: () => {
          throw new Error('boom');
        },
        flush: () => [],
      }),
    },
    async (emu) => {
      const c = await connect(emu);
      c.sendAudio(new Uint8Array(3200));
      assert.is((await c.closed).code, 1000);
      assert.equal(exceptions(c), [{ type: 'InternalFailureException', message: "The emulator's recognizer failed: boom" }]);
      const d = await connect(emu);
      assert.is(d.session.closeCode, undefined, 'the emulator still serves');
    },
  ),
);

tr.run();

// ---------------------------------------------------------------------------------------------------

const fr = suite('emulator framing and stream endings');

fr('several messages in one frame, and one message split over frames', () =>
  withEmulator({}, async (emu) => {
    const c = await connect(emu);
    const a = pcm([{ speechMs: 100 }]);
    const b = pcm([{ silenceMs: 100 }]);
    const d = pcm([{ speechMs: 50 }]);
    send(c.ws, concat(audioEvent(a), audioEvent(b)));
    const split = audioEvent(d);
    send(c.ws, split.subarray(0, 5));
    send(c.ws, split.subarray(5, 1000));
    send(c.ws, concat(split.subarray(1000), endOfStream()));
    assert.equal(await c.closed, { code: 1000, wasClean: true });
    assert.equal(c.session.audio, concat(a, b, d));
    assert.is(c.session.frames, 4);
    assert.equal(exceptions(c), []);
  }),
);

/** Signs envelopes exactly as the SDK's event signer does, independently of the emulator's code. */
function envelopeSigner(url: string, secret: string): (inner: Uint8Array, date: Date) => Uint8Array {
  const q = new URL(url).searchParams;
  let prior = q.get('X-Amz-Signature')!;
  const region = q.get('X-Amz-Credential')!.split('/')[2]!;
  return (inner, date) => {
    const amz = date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const day = amz.slice(0, 8);
    const key = ['transcribe', 'aws4_request'].reduce(
      (k, part) => hmacSha256(k, part),
      hmacSha256(hmacSha256('AWS4' + secret, day), region),
    );
    const dateHeader = encodeMessage({ headers: { ':date': { type: 'timestamp', value: date } }, body: new Uint8Array(0) }).subarray(12, 12 + 15);
    const sts = ['AWS4-HMAC-SHA256-PAYLOAD', amz, `${day}/${region}/transcribe/aws4_request`, prior, toHex(sha256(dateHeader)), toHex(sha256(inner))].join('\n');
    const sig = hmacSha256(key, sts);
    prior = toHex(sig);
    return encodeMessage({ headers: { ':date': { type: 'timestamp', value: date }, ':chunk-signature': { type: 'binary', value: sig } }, body: inner });
  };
}

fr('signed envelopes (:date + chained :chunk-signature) are verified and unwrapped; the empty one ends the stream', () =>
  withEmulator({ script: ['Signed speech.'] }, async (emu) => {
    const c = await connect(emu);
    const sign = envelopeSigner(c.url, emu.credentials.secretAccessKey);
    const audio = pcm([{ speechMs: 500 }]);
    for (let i = 0; i < audio.length; i += 3200) send(c.ws, sign(audioEvent(audio.subarray(i, i + 3200)), new Date()));
    send(c.ws, sign(new Uint8Array(0), new Date()));
    assert.equal(await c.closed, { code: 1000, wasClean: true });
    assert.equal(exceptions(c), []);
    assert.ok(c.session.signed);
    assert.equal(c.session.audio, audio);
    // End of stream flushed the utterance still in progress (no trailing silence was sent).
    assert.equal(results(c).filter((r) => !r.IsPartial).map((r) => r.Alternatives[0]!.Transcript), ['Signed speech.']);
  }),
);

fr('a broken :chunk-signature chain is a BadRequestException, then close', () =>
  withEmulator({}, async (emu) => {
    const c = await connect(emu);
    const sign = envelopeSigner(c.url, emu.credentials.secretAccessKey);
    const chunk = audioEvent(pcm([{ speechMs: 100 }]));
    send(c.ws, sign(chunk, new Date()));
    // A well-formed envelope whose signature is not the next link of the chain.
    const tampered = encodeMessage({ headers: { ':date': { type: 'timestamp', value: new Date() }, ':chunk-signature': { type: 'binary', value: new Uint8Array(32) } }, body: chunk });
    send(c.ws, tampered);
    assert.is((await c.closed).code, 1000);
    assert.equal(exceptions(c).map((e) => e.type), ['BadRequestException']);
    assert.match(exceptions(c)[0]!.message, /signature we calculated does not match/);
    assert.is(c.session.audio.length, 3200, 'the first, correctly signed chunk was taken');
  }),
);

fr('every end-of-stream form flushes the pending utterance and closes 1000', async () => {
  const ends: [string, Uint8Array][] = [
    ['empty AudioEvent', endOfStream()],
    ['zero-length frame', new Uint8Array(0)],
    ['header-less empty message', encodeMessage({ headers: {}, body: new Uint8Array(0) })],
  ];
  for (const [name, end] of ends) {
    await withEmulator({ script: ['Pending words.'] }, async (emu) => {
      const c = await connect(emu);
      c.sendAudio(pcm([{ speechMs: 600 }]));
      send(c.ws, end);
      assert.equal(await c.closed, { code: 1000, wasClean: true }, name);
      const last = results(c).at(-1)!;
      assert.is(last.IsPartial, false, name);
      assert.is(last.Alternatives[0]!.Transcript, 'Pending words.', name);
      assert.is(c.session.closeCode, 1000);
    });
  }
});

fr('bad frames get a BadRequestException, then close', async () => {
  const corrupt = audioEvent(pcm([{ speechMs: 100 }]));
  corrupt[200] = corrupt[200]! ^ 0xff;
  const wrongEvent = encodeMessage({
    headers: { ':message-type': { type: 'string', value: 'event' }, ':event-type': { type: 'string', value: 'ConfigurationEvent' } },
    body: new Uint8Array(4),
  });
  const cases: [string, Uint8Array | string, RegExp][] = [
    ['CRC mismatch', corrupt, /Could not decode the event stream you sent: message checksum mismatch/],
    ['text frame', '{"message-type":"event","event":"end"}', /Text WebSocket frames are not supported/],
    ['wrong event type', wrongEvent, /must be an AudioEvent/],
    ['half a signed envelope', encodeMessage({ headers: { ':date': { type: 'timestamp', value: new Date() } }, body: new Uint8Array(1) }), /both a :date/],
  ];
  for (const [name, frame, expected] of cases) {
    await withEmulator({}, async (emu) => {
      const c = await connect(emu);
      c.sendAudio(pcm([{ speechMs: 100 }]));
      send(c.ws, frame);
      c.sendAudio(pcm([{ speechMs: 100 }])); // ignored: the stream has failed
      assert.is((await c.closed).code, 1000, name);
      const ex = exceptions(c);
      assert.is(ex.length, 1, name);
      assert.is(ex[0]!.type, 'BadRequestException', name);
      assert.match(ex[0]!.message, expected, name);
      assert.is(c.session.audio.length, 3200, name);
    });
  }
});

fr.run();

// ---------------------------------------------------------------------------------------------------

const lim = suite('emulator time limits');

lim('no audio for idleTimeoutMs: AWS\'s exact BadRequestException, then close', () =>
  withEmulator({ idleTimeoutMs: 300 }, async (emu) => {
    assert.is(IDLE_TIMEOUT_MESSAGE, 'Your request timed out because no new audio was received for 15 seconds.');
    const c = await connect(emu);
    // Audio keeps the stream alive; the timeout counts from the last AudioEvent.
    for (let i = 0; i < 4; i++) {
      c.sendAudio(pcm([{ silenceMs: 100 }]));
      await new Promise((r) => setTimeout(r, 150));
    }
    assert.equal(c.received, [], 'still alive after 600 ms of audio every 150 ms');
    assert.is((await c.closed).code, 1000);
    assert.equal(exceptions(c), [{ type: 'BadRequestException', message: IDLE_TIMEOUT_MESSAGE }]);
  }),
);

lim('a stream longer than maxDurationMs (wall clock) ends with LimitExceededException', () =>
  withEmulator({ maxDurationMs: 300, idleTimeoutMs: 5000 }, async (emu) => {
    const c = await connect(emu);
    assert.is((await c.closed).code, 1000);
    assert.equal(exceptions(c).map((e) => e.type), ['LimitExceededException']);
  }),
);

lim('audio past maxDurationMs: pending results are flushed, then LimitExceededException', () =>
  withEmulator({ maxDurationMs: 1000, script: ['Too long.'] }, async (emu) => {
    const c = await connect(emu);
    c.sendAudio(pcm([{ speechMs: 1500 }]));
    assert.is((await c.closed).code, 1000);
    const kinds = c.received.map((r) => (r.kind === 'exception' ? r.type : r.result.IsPartial ? 'partial' : 'final'));
    assert.equal(kinds.slice(-2), ['final', 'LimitExceededException']);
    assert.ok(c.session.audio.length <= 32000 + 3200, 'nothing read after the limit');
  }),
);

lim.run();
