// The LiveKit STT's options over a stream's life: an update that comes before the stream's run()
// has started (the framework starts it on a timer) is the one the stream opens with; options
// Transcribe would refuse are refused at construction and by updateOptions(), which then leaves
// the options as they were, so the streams opened afterwards still work.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initializeLogger } from '@livekit/agents';
import { collect, frames, pushPaced, SCRIPT, transcribeStt, within, withScriptedEmulator } from './helpers.ts';

initializeLogger({ pretty: false, level: 'warn' });

/** One utterance through `stream`, until its iteration ends. */
async function utterance(stream: ReturnType<ReturnType<typeof transcribeStt>['stream']>): Promise<string[]> {
  const { events, done } = collect(stream);
  await pushPaced(stream, frames([{ speechMs: 900 }, { silenceMs: 800 }]));
  stream.endInput();
  await within(done, 10_000, 'the iteration to end');
  return events.flatMap((e) => (e.alternatives ? [e.alternatives[0].text] : []));
}

test("STT.updateOptions() right after stream(), before the stream's run() started: it opens with the update", () =>
  withScriptedEmulator(async (emu) => {
    const stt = transcribeStt(emu, { language: 'en-US' });
    const stream = stt.stream();
    await stt.updateOptions({ language: 'es-US', vocabularyName: 'my-vocab' });
    assert.is(stt.options.language, 'es-US');
    assert.ok((await utterance(stream)).includes(SCRIPT[0]!));
    assert.equal(
      emu.sessions.map((s) => [s.query['language-code'], s.query['vocabulary-name']]),
      [['es-US', 'my-vocab']],
      'one AWS stream, in the updated language',
    );
    await stt.close();
  }));

test('SpeechStream.updateOptions() before its run() started: that stream opens with it, the STT keeps its own', () =>
  withScriptedEmulator(async (emu) => {
    const stt = transcribeStt(emu, { language: 'en-US' });
    const updated = stt.stream();
    await updated.updateOptions({ language: 'fr-FR' });
    await utterance(updated);
    await utterance(stt.stream());
    assert.equal(
      emu.sessions.map((s) => s.query['language-code']),
      ['fr-FR', 'en-US'],
    );
    assert.is(stt.options.language, 'en-US');
    await stt.close();
  }));

test.run();
