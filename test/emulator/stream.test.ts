// The emulator's scripted TranscriptEvents in AWS's JSON shape: partials and finals timed from the
// audio, the script in order, channels, speakers, language identification, medical results.
// (Framing, stream endings and time limits: framing.test.ts.)
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, exceptions, finish, pcm, results, withEmulator } from '../helpers/emulator-client.ts';

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
    assert.equal(
      rs.map((r) => [r.IsPartial, r.Alternatives[0]!.Transcript]),
      [
        [true, 'Hello'],
        [true, 'Hello there,'],
        [true, 'Hello there, general'],
        [true, 'Hello there, general Kenobi.'],
        [false, 'Hello there, general Kenobi.'],
      ],
    );
    assert.is(new Set(rs.map((r) => r.ResultId)).size, 1);
    assert.match(rs[0]!.ResultId, /^[0-9a-f-]{36}$/);
    const final = rs.at(-1)!;
    // Times are seconds from stream start: speech ran from 0.2 s to 1.4 s.
    assert.ok(Math.abs(final.StartTime - 0.2) < 0.021, `start ${final.StartTime}`);
    assert.ok(Math.abs(final.EndTime - 1.4) < 0.021, `end ${final.EndTime}`);
    const items = final.Alternatives[0]!.Items;
    assert.equal(
      items.map((i) => [i.Type, i.Content]),
      [
        ['pronunciation', 'Hello'],
        ['pronunciation', 'there'],
        ['punctuation', ','],
        ['pronunciation', 'general'],
        ['pronunciation', 'Kenobi'],
        ['punctuation', '.'],
      ],
    );
    let last = final.StartTime;
    for (const item of items) {
      assert.ok(
        item.StartTime >= last - 1e-9 && item.EndTime >= item.StartTime && item.EndTime <= final.EndTime + 1e-9,
        JSON.stringify(item),
      );
      last = item.StartTime;
      assert.is(item.VocabularyFilterMatch, false);
      assert.is('Stable' in item, false, 'no Stable without stabilization');
      if (item.Type === 'pronunciation') assert.ok(item.Confidence! > 0.8 && item.Confidence! <= 1);
      else assert.is(item.Confidence, undefined);
    }
    for (const p of rs.slice(0, -1))
      for (const item of p.Alternatives[0]!.Items)
        assert.is(item.Confidence, undefined, 'partials carry no confidence');
    // The session kept every PCM byte and what it sent.
    assert.equal(c.session.audio, audio);
    assert.is(c.session.closeCode, 1000);
    assert.equal(
      c.session.events.map((e) => (e.type === 'TranscriptEvent' ? e.transcript : e)),
      c.received.map((r) => (r.kind === 'transcript' ? r.raw : r)),
    );
  }),
);

tr("the JSON shape is exactly AWS's (field names and which fields appear)", () =>
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
    assert.equal(Object.keys(r.Alternatives[0].Items[0]).sort(), [
      'Confidence',
      'Content',
      'EndTime',
      'Speaker',
      'Stable',
      'StartTime',
      'Type',
      'VocabularyFilterMatch',
    ]);
    assert.equal(Object.keys(r.Alternatives[0].Items[2]).sort(), [
      'Content',
      'EndTime',
      'Stable',
      'StartTime',
      'Type',
      'VocabularyFilterMatch',
    ]);
  }),
);

tr('utterances take the script in order; speech after the script ends gets no result; clicks are ignored', () =>
  withEmulator({ script: ['First one.', 'Second one.'] }, async (emu) => {
    const c = await connect(emu);
    c.sendAudio(
      pcm([
        { speechMs: 600 },
        { silenceMs: 600 },
        { speechMs: 40 },
        { silenceMs: 600 },
        { speechMs: 600 },
        { silenceMs: 600 },
        { speechMs: 600 },
        { silenceMs: 600 },
      ]),
    );
    await finish(c);
    const finals = results(c).filter((r) => !r.IsPartial);
    assert.equal(
      finals.map((r) => r.Alternatives[0]!.Transcript),
      ['First one.', 'Second one.'],
    );
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
          {
            ResultId: 'custom',
            StartTime: 0,
            EndTime: pushed / 32000,
            IsPartial: false,
            Alternatives: [{ Transcript: `${ctx.script.length}`, Items: [] }],
          },
        ],
      }),
    },
    async (emu) => {
      const c = await connect(emu);
      c.sendAudio(new Uint8Array(32000));
      await finish(c);
      assert.is(pushed, 32000);
      assert.equal(results(c), [
        {
          ResultId: 'custom',
          StartTime: 0,
          EndTime: 1,
          IsPartial: false,
          Alternatives: [{ Transcript: '3', Items: [] }],
        },
      ]);
    },
  );
});

tr("two channels: each channel's speech gets its own results with ChannelId ch_0 / ch_1", () =>
  withEmulator({ script: ['Agent speaks.', 'Caller answers.'] }, async (emu) => {
    const c = await connect(emu, { enableChannelIdentification: true, numberOfChannels: 2 });
    c.sendAudio(
      pcm(
        [{ speechMs: 600, channels: [1] }, { silenceMs: 700 }, { speechMs: 600, channels: [0] }, { silenceMs: 700 }],
        2,
      ),
      6400,
    );
    await finish(c);
    const finals = results(c).filter((r) => !r.IsPartial);
    assert.equal(
      finals.map((r) => [r.ChannelId, r.Alternatives[0]!.Transcript]),
      [
        ['ch_1', 'Agent speaks.'],
        ['ch_0', 'Caller answers.'],
      ],
    );
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
      [
        ['0', undefined],
        ['1', undefined],
      ],
    );
  }),
);

tr('language identification: LanguageCode and LanguageIdentification on every result', () =>
  withEmulator({ script: ['Bonjour.', { text: 'Hallo.', languageCode: 'de-DE' }] }, async (emu) => {
    const c = await connect(emu, {
      identifyLanguage: true,
      languageOptions: ['en-US', 'fr-FR', 'de-DE'],
      preferredLanguage: 'fr-FR',
    });
    c.sendAudio(pcm([{ speechMs: 300 }, { silenceMs: 600 }, { speechMs: 300 }, { silenceMs: 600 }]));
    await finish(c);
    const rs = results(c);
    assert.ok(rs.length >= 2);
    const finals = rs.filter((r) => !r.IsPartial);
    assert.equal(
      finals.map((r) => r.LanguageCode),
      ['fr-FR', 'de-DE'],
    );
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
    assert.equal(
      results(c).map((r) => [r.IsPartial, r.Alternatives[0]!.Transcript]),
      [[false, 'Compressed speech.']],
    );
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
      assert.equal(exceptions(c), [
        { type: 'InternalFailureException', message: "The emulator's recognizer failed: boom" },
      ]);
      const d = await connect(emu);
      assert.is(d.session.closeCode, undefined, 'the emulator still serves');
    },
  ),
);

tr.run();
