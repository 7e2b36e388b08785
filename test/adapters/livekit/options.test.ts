// The LiveKit STT's options over a stream's life: an update that comes before the stream's run()
// has started (the framework starts it on a timer) is the one the stream opens with; options
// Transcribe would refuse are refused at construction and by updateOptions(), which then leaves
// the options as they were, so the streams opened afterwards still work.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initializeLogger, stt as lk } from '@livekit/agents';
import { AWSTranscribeSTTService, OptionError } from '../../../dist/adapters/node.js';
import type { STTOptions } from '../../../dist/adapters/livekit/index.js';
import type { Emulator } from '../../../dist/emulator/index.js';
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

/** The OptionError `fn` throws, or undefined when it throws nothing (anything else fails the test). */
function optionError(fn: () => unknown): OptionError | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (err instanceof OptionError) return err;
    throw err;
  }
}

/** The OptionError the service's own start() rejects with for these options, or undefined when it starts. */
async function serviceRefusal(emu: Emulator, o: STTOptions): Promise<OptionError | undefined> {
  const { language, interimResults: _, ...rest } = o;
  const svc = new AWSTranscribeSTTService({
    endpoint: emu.endpoint,
    awsAccessKeyId: emu.credentials.accessKeyId,
    apiKey: emu.credentials.secretAccessKey,
    logger: {},
    ...rest,
    ...(language === undefined ? {} : { settings: { language } }),
  });
  // Its check runs before start() awaits anything: a refusal has settled before the next timer.
  const started = svc.start({ sampleRate: 48000 }).then(
    () => undefined,
    (err: unknown) => err,
  );
  const outcome = await Promise.race([started, new Promise((r) => setTimeout(() => r('starting'), 0))]);
  svc.cancel();
  await started;
  if (outcome === 'starting' || outcome === undefined) return undefined;
  if (outcome instanceof OptionError) return outcome;
  throw outcome;
}

test('new STT(options) refuses what the service would refuse at start(), with the same OptionError', () =>
  withScriptedEmulator(async (emu) => {
    const cases: STTOptions[] = [
      {},
      { vocabularyName: 'my vocab' },
      { vocabularyName: 'my-vocab', vocabularyFilterName: 'my-filter', vocabularyFilterMethod: 'mask' },
      { vocabularyFilterMethod: 'mask' },
      // Pipecat's defaults turn stabilization on: a stability alone is fine.
      { partialResultsStability: 'low' },
      // Stabilization off: the default stability goes with it.
      { enablePartialResultsStabilization: false },
      { sessionId: 'not-a-uuid' },
      { identifyLanguage: true },
      { identifyLanguage: true, languageOptions: ['en-US', 'es-US'], preferredLanguage: 'es-US' },
      { identifyLanguage: true, languageOptions: 'en-US,es-US', vocabularyName: 'my-vocab' },
      { contentRedactionType: 'PII', piiEntityTypes: ['NAME', 'EMAIL'] },
      { contentRedactionType: 'PII', contentIdentificationType: 'PII' },
      { enableChannelIdentification: true },
      { medical: true },
      { medical: true, specialty: 'PRIMARYCARE', type: 'CONVERSATION' },
      // The language and wire rate count too: Transcribe Medical takes en-US at 16 kHz and up only.
      { medical: true, specialty: 'PRIMARYCARE', type: 'CONVERSATION', language: 'es-US' },
      { medical: true, specialty: 'PRIMARYCARE', type: 'CONVERSATION', sampleRate: 8000 },
    ];
    const refused: string[] = [];
    for (const o of cases) {
      const expected = await serviceRefusal(emu, o);
      const got = optionError(() => transcribeStt(emu, o));
      assert.is(got?.message, expected?.message, JSON.stringify(o));
      if (got) refused.push(got.option);
    }
    assert.equal(refused, [
      'vocabularyName',
      'vocabularyFilterMethod',
      'sessionId',
      'languageOptions',
      'vocabularyName',
      'contentRedactionType',
      'enableChannelIdentification',
      'specialty',
      'languageCode',
      'sampleRate',
    ]);
  }));

test('a refused STT.updateOptions() changes nothing: the live stream goes on, the next one works', () =>
  withScriptedEmulator(async (emu) => {
    const stt = transcribeStt(emu);
    const errors: unknown[] = [];
    stt.on('error', (e) => errors.push(e.error));
    const live = stt.stream();
    const { events, done } = collect(live);
    await pushPaced(live, frames([{ speechMs: 300 }]));
    const refusal = await stt.updateOptions({ vocabularyName: 'my vocab', language: 'es-US' }).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.instance(refusal, OptionError);
    assert.is((refusal as OptionError).option, 'vocabularyName');
    assert.is(stt.options.vocabularyName, undefined);
    assert.is(stt.options.language, 'en-US');
    await pushPaced(live, frames([{ speechMs: 600 }, { silenceMs: 800 }]));
    live.endInput();
    await within(done, 10_000, 'the live stream to end');
    assert.ok(events.some((e) => e.type === lk.SpeechEventType.FINAL_TRANSCRIPT));
    assert.ok((await utterance(stt.stream())).includes(SCRIPT[0]!), 'a stream opened afterwards transcribes');
    assert.equal(errors, []);
    assert.equal(
      emu.sessions.map((s) => [s.query['language-code'], s.query['vocabulary-name']]),
      [
        ['en-US', undefined],
        ['en-US', undefined],
      ],
      'no switch, and the next stream opened with the options as they were',
    );
    await stt.close();
  }));

test('options a live stream refuses (its own differ) leave the STT options as they were', () =>
  withScriptedEmulator(async (emu) => {
    const stt = transcribeStt(emu);
    const stream = stt.stream();
    await stream.updateOptions({ identifyLanguage: true, languageOptions: ['en-US', 'es-US'] });
    // Fine for the STT (a language code), not with that stream's language identification.
    const refusal = await stt.updateOptions({ vocabularyName: 'my-vocab' }).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.instance(refusal, OptionError);
    assert.match((refusal as OptionError).message, /vocabularyName: cannot be combined with identifyLanguage/);
    assert.is(stt.options.vocabularyName, undefined);
    await utterance(stream);
    assert.is(emu.sessions[0]!.query['identify-language'], 'true');
    assert.is(emu.sessions[0]!.query['vocabulary-name'], undefined);
    await stt.close();
  }));

test.run();
