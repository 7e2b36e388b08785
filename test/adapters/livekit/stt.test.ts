// transcribe-stream/livekit driven through the real @livekit/agents SpeechStream API (no LiveKit
// server) against the bundled emulator: 48 kHz AudioFrames in, the framework's SpeechEvents out,
// a dropped connection, endInput()/close(), a fatal error as the framework sees it, recognize().
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { APIConnectionError, APIStatusError, initializeLogger, stt as lk } from '@livekit/agents';
import type { STTMetrics } from '@livekit/agents';

/** The payload of an STT's 'error' event. */
type STTError = Parameters<lk.STTCallbacks['error']>[0];
import { replayedOverlap } from '../../helpers/timeline.ts';
import { note } from '../../runtimes/harness.ts';
import {
  collect,
  FRAME,
  finals,
  frames,
  pushPaced,
  RATE,
  SCRIPT,
  sequence,
  transcribeStt,
  within,
  withScriptedEmulator,
} from './helpers.ts';

// The framework's SpeechStream takes its logger at construction; `cli.runApp` does this in an app.
initializeLogger({ pretty: false, level: 'warn' });

test('48 kHz frames in: START, INTERIMs, FINAL, END per utterance, a drop survived, endInput() ends', async () => {
  // A recognizer "hears" the next line of the script in each utterance; a real one hears the words.
  // A new stream starts from the first line (as the emulator does), so the script of a stream opened
  // after the drop starts where the finals got to: an utterance lost in the drop would show as a
  // missing final, and every line would still not be heard.
  let heard = 0;
  await withScriptedEmulator(
    async (emu) => {
      const stt = transcribeStt(emu);
      const errors: STTError[] = [];
      const metrics: STTMetrics[] = [];
      stt.on('error', (e) => errors.push(e));
      stt.on('metrics_collected', (m) => metrics.push(m));
      const stream = stt.stream();
      let dropAt = -1;
      let pushed = 0;
      const { events, done } = collect(stream, (ev) => {
        if (ev.type !== lk.SpeechEventType.FINAL_TRANSCRIPT) return;
        heard++;
        // The connection drops in the pause after the first utterance, while audio keeps coming.
        if (heard === 1) {
          dropAt = pushed;
          emu.fault({ type: 'drop' });
        }
      });
      const UTTERANCE = 1.7; // seconds of audio per utterance below (900 ms speech + 800 ms pause)
      const list = frames([
        { speechMs: 900 },
        { silenceMs: 800 },
        { speechMs: 900 },
        { silenceMs: 800 },
        { speechMs: 900 },
        { silenceMs: 800 },
      ]);
      await pushPaced(stream, list, (i) => (pushed = i));
      stream.endInput();
      await within(done, 10_000, 'the iteration to end after endInput()');

      const seen = sequence(events);
      note(
        `livekit: event sequence (a drop after the first FINAL, at ${((dropAt * FRAME) / RATE).toFixed(2)} s of ` +
          `audio): ${seen}`,
      );
      assert.equal(errors, [], 'no error reached the framework');
      // Every utterance: START, at least one INTERIM, its FINAL, END; usage last.
      assert.match(seen, /^(START (INTERIM\("[a-z ]+"\) )+FINAL\("[a-z ]+"\) END ){3}USAGE\([\d.]+ s\)$/);
      const texts = finals(events).map((d) => d.text);
      assert.equal(texts, SCRIPT, 'one final per utterance, none lost, in order');
      // Interims grow word by word towards their final.
      const interims = events
        .filter((e) => e.type === lk.SpeechEventType.INTERIM_TRANSCRIPT)
        .map((e) => e.alternatives![0].text);
      assert.ok(
        interims.every((t) => SCRIPT.some((line) => line.startsWith(t))),
        interims.join('|'),
      );

      // Times count from the start of the audio and go on across the drop (no reset to 0).
      const f = finals(events);
      f.forEach((d, k) => {
        assert.ok(Math.abs(d.startTime - k * UTTERANCE) < 0.15, `final ${k} starts at ${d.startTime}`);
        assert.ok(d.endTime > d.startTime && d.endTime < d.startTime + 1.1, `final ${k} ends at ${d.endTime}`);
        assert.is(d.language, 'en-US');
        assert.ok(d.confidence > 0.8 && d.confidence <= 1, `confidence ${d.confidence}`);
        assert.equal(
          d.words!.map((w) => w.text),
          SCRIPT[k]!.split(' '),
        );
        assert.ok(
          d.words!.every((w) => w.startTime! >= d.startTime - 1e-9 && w.endTime! <= d.endTime + 1e-9),
          'words inside their result',
        );
      });

      // Usage: exactly the audio pushed, reported to the framework's metrics as well.
      const seconds = (list.length * FRAME) / RATE;
      const usage = events
        .filter((e) => e.type === lk.SpeechEventType.RECOGNITION_USAGE)
        .reduce((s, e) => s + e.recognitionUsage!.audioDuration, 0);
      assert.ok(Math.abs(usage - seconds) < 1e-6, `usage ${usage} s of ${seconds} s`);
      const streamed = metrics.filter((m) => m.streamed);
      assert.is(
        streamed.reduce((s, m) => s + m.audioDurationMs, 0),
        Math.round(seconds * 1000),
      );
      assert.ok(
        streamed.every((m) => m.label === 'transcribe-stream.STT' && m.metadata?.modelProvider === 'Amazon Transcribe'),
      );
      // Every event names the AWS session (the id this plugin gives it; kept across the reconnect).
      assert.ok(events.every((e) => e.requestId === emu.sessions[0]!.id));

      // Two streams: the dropped one and the one that carried the rest to a clean end.
      assert.is(emu.sessions.length, 2);
      assert.is(emu.sessions[0]!.closeCode, 1006);
      assert.is(emu.sessions[1]!.closeCode, 1000);
      // The second stream first heard again what the first carried and no final covered (replaySeconds).
      const [first, second] = emu.sessions.map((x) => x.audio) as [Uint8Array, Uint8Array];
      const replayed = replayedOverlap(first, second, 10 * 32000) / 32000;
      const received = (first.length + second.length) / 32000 - replayed;
      note(
        `livekit: ${seconds.toFixed(2)} s of 48 kHz audio pushed, ${received.toFixed(3)} s of 16 kHz audio received ` +
          `by the emulator over 2 streams (${replayed.toFixed(3)} s of it heard twice: the replay after the drop)`,
      );
      // Audio written to the dying socket before the client saw the drop may be lost: pause, not speech.
      assert.ok(received > seconds - 0.3 && received < seconds + 0.05, `received ${received} s`);
    },
    { script: () => SCRIPT.slice(heard) },
  );
});

test('44.1 kHz stereo frames go through the same resampler: the same events, 16 kHz mono on the wire', () =>
  withScriptedEmulator(async (emu) => {
    const stream = transcribeStt(emu).stream();
    const { events, done } = collect(stream);
    const list = frames([{ speechMs: 900 }, { silenceMs: 800 }], 44100, 2);
    await pushPaced(stream, list);
    stream.endInput();
    await within(done, 10_000, 'the iteration to end');
    assert.match(sequence(events), /^START (INTERIM\("[a-z ]+"\) )+FINAL\("hello there"\) END USAGE\(1\.70 s\)$/);
    assert.is(emu.sessions[0]!.query['sample-rate'], '16000');
    assert.ok(
      Math.abs(emu.sessions[0]!.audio.length / 2 - 1.7 * 16000) < 64,
      `${emu.sessions[0]!.audio.length / 2} samples`,
    );
  }));

test('updateOptions({ language }) mid-stream: a new AWS stream in the new language, no utterance lost', async () => {
  let heard = 0;
  await withScriptedEmulator(
    async (emu) => {
      const stt = transcribeStt(emu);
      const stream = stt.stream();
      let updating: Promise<void> | undefined;
      const { events, done } = collect(stream, (ev) => {
        if (ev.type === lk.SpeechEventType.FINAL_TRANSCRIPT && ++heard === 1)
          updating = stt.updateOptions({ language: 'en-GB' });
      });
      await pushPaced(stream, frames([{ speechMs: 900 }, { silenceMs: 800 }, { speechMs: 900 }, { silenceMs: 800 }]));
      stream.endInput();
      await within(done, 10_000, 'the iteration to end');
      await updating;
      assert.equal(
        finals(events).map((d) => d.text),
        SCRIPT.slice(0, 2),
      );
      assert.equal(
        emu.sessions.map((x) => x.query['language-code']),
        ['en-US', 'en-GB'],
      );
      assert.is(stt.options.language, 'en-GB');
      assert.ok(Math.abs(finals(events)[1]!.startTime - 1.7) < 0.15, 'times go on across the switch');
    },
    { script: () => SCRIPT.slice(heard) },
  );
});

test('close() mid-utterance ends the iteration at once and closes the AWS stream', () =>
  withScriptedEmulator(async (emu) => {
    const stt = transcribeStt(emu);
    const errors: STTError[] = [];
    stt.on('error', (e) => errors.push(e));
    const stream = stt.stream();
    let interim!: () => void;
    const sawInterim = new Promise<void>((resolve) => (interim = resolve));
    const { events, done } = collect(stream, (ev) => ev.type === lk.SpeechEventType.INTERIM_TRANSCRIPT && interim());
    const list = frames([{ speechMs: 2000 }]);
    let closed = false;
    const pushing = (async () => {
      for (let i = 0; i < list.length && !closed; i++) {
        stream.pushFrame(list[i]!);
        if (i % 10 === 9) await new Promise((r) => setTimeout(r, 25));
      }
    })();
    await within(sawInterim, 5000, 'an interim');
    const session = emu.sessions[0]!;
    const t0 = Date.now();
    closed = true;
    stream.close();
    await within(done, 1000, 'the iteration to end after close()');
    const ms = Date.now() - t0;
    await pushing;
    await within(session.closed, 2000, 'the AWS stream to close');
    note(
      `livekit: close() mid-utterance: iteration ended in ${ms} ms; events ${sequence(events)}; AWS stream closed ` +
        `${session.closeCode}`,
    );
    assert.equal(errors, []);
    assert.not.ok(events.some((e) => e.type === lk.SpeechEventType.FINAL_TRANSCRIPT));
    assert.throws(() => stream.pushFrame(list[0]!), /closed/);
    await stt.close();
  }));

test('close() while endInput() waits for the last finals ends at once too', () =>
  withScriptedEmulator(async (emu) => {
    const stream = transcribeStt(emu).stream();
    const { done } = collect(stream);
    await pushPaced(stream, frames([{ speechMs: 900 }]));
    // Everything the emulator sends from now on (the last finals, the close) comes 3 s late.
    emu.fault({ type: 'delay', ms: 3000 });
    stream.endInput();
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    stream.close();
    await within(done, 1000, 'the iteration to end after close()');
    // The service is cancelled, not left waiting out the delay (or stopTimeoutMs) for finals nobody reads.
    const code = await within(emu.sessions[0]!.closed, 2500, 'the AWS stream to close');
    note(
      `livekit: close() during endInput()'s wait for the last finals: the AWS stream closed (${code}) ` +
        `${Date.now() - t0} ms later`,
    );
  }));

test('a refused signature reaches the framework once, as a non-retryable APIStatusError 403', () =>
  withScriptedEmulator(async (emu) => {
    const stt = transcribeStt(emu, { apiKey: 'not-the-secret' });
    const errors: STTError[] = [];
    stt.on('error', (e) => errors.push(e));
    const stream = stt.stream();
    const { events, done } = collect(stream);
    stream.pushFrame(frames([{ speechMs: 100 }])[0]!);
    await within(done, 10_000, 'the iteration to end after the failure');
    assert.is(events.length, 0);
    assert.is(errors.length, 1, 'the framework did not retry');
    const { error, recoverable } = errors[0]!;
    assert.is(recoverable, false);
    assert.instance(error, APIStatusError);
    const status = error as APIStatusError;
    assert.is(status.statusCode, 403);
    assert.is(status.retryable, false);
    assert.equal(status.body, { code: 'AUTH_FAILED' });
    assert.match(
      status.message,
      /^Amazon Transcribe: .*transcribe:StartStreamTranscriptionWebSocket.*\[AUTH_FAILED\]$/s,
    );
    assert.is((status.cause as { code?: string }).code, 'AUTH_FAILED');
    assert.not.ok(status.message.includes('not-the-secret'));
  }));

test('connOptions.maxRetry is the reconnect budget; what it gives up on is a non-retryable APIConnectionError', () =>
  withScriptedEmulator(async (emu) => {
    emu.fault({ type: 'refuse', status: 503, times: 50 });
    let connects = 0;
    const stt = transcribeStt(emu, { logger: { debug: (m) => void (/connecting to/.test(m) && connects++) } });
    const errors: STTError[] = [];
    stt.on('error', (e) => errors.push(e));
    const stream = stt.stream({ connOptions: { maxRetry: 1, retryIntervalMs: 10, timeoutMs: 5000 } });
    const { done } = collect(stream);
    stream.pushFrame(frames([{ speechMs: 100 }])[0]!);
    await within(done, 10_000, 'the iteration to end after the failure');
    // One connect and one reconnect by the service; no framework retry on top (it would open more).
    assert.is(connects, 2);
    assert.is(errors.length, 1);
    assert.instance(errors[0]!.error, APIConnectionError);
    assert.is((errors[0]!.error as APIConnectionError).retryable, false);
    assert.is(errors[0]!.recoverable, false);
  }));

test('recognize(): a 48 kHz buffer through one paced stream, the finals joined into one FINAL_TRANSCRIPT', () =>
  withScriptedEmulator(async (emu) => {
    const stt = transcribeStt(emu);
    const metrics: STTMetrics[] = [];
    stt.on('metrics_collected', (m) => metrics.push(m));
    const list = frames([{ speechMs: 900 }, { silenceMs: 800 }, { speechMs: 900 }, { silenceMs: 800 }]);
    const t0 = Date.now();
    const ev = await stt.recognize(list);
    const ms = Date.now() - t0;
    assert.is(ev.type, lk.SpeechEventType.FINAL_TRANSCRIPT);
    const data = ev.alternatives![0];
    assert.is(data.text, 'hello there how are you today');
    assert.is(data.words!.length, 6);
    assert.ok(data.startTime < 0.05 && Math.abs(data.endTime - 2.6) < 0.15, `${data.startTime}..${data.endTime}`);
    assert.ok(data.confidence > 0.8);
    assert.is(ev.requestId, emu.sessions[0]!.id);
    assert.is(metrics.length, 1);
    assert.is(metrics[0]!.streamed, false);
    assert.is(metrics[0]!.audioDurationMs, 3400);
    // 3.4 s of audio: a 1 s burst, then twice real time: about 1.2 s, bounded by the finals' wait.
    assert.ok(ms >= 1100 && ms < 4000, `${ms} ms`);
  }));

test('options: language from the plugin option, checked at construction; model and provider for metrics', () =>
  withScriptedEmulator(async (emu) => {
    assert.throws(() => transcribeStt(emu, { language: 'xx-YY' }), /language/);
    assert.throws(() => transcribeStt(emu, { frameMs: 5 }), /frameMs/);
    const stt = transcribeStt(emu, { language: 'en-GB', languageModelName: 'my-model', interimResults: false });
    assert.is(stt.provider, 'Amazon Transcribe');
    assert.is(stt.model, 'my-model');
    assert.is(stt.capabilities.streaming, true);
    assert.is(stt.capabilities.interimResults, false);
    const stream = stt.stream();
    const { events, done } = collect(stream);
    await pushPaced(stream, frames([{ speechMs: 900 }, { silenceMs: 800 }]));
    stream.endInput();
    await within(done, 10_000, 'the iteration to end');
    assert.is(emu.sessions[0]!.query['language-code'], 'en-GB');
    assert.is(emu.sessions[0]!.query['language-model-name'], 'my-model');
    // No interims asked for: START still comes (from AWS's first partial), then FINAL, END.
    assert.match(sequence(events), /^START FINAL\("hello there"\) END USAGE/);
  }));

test.run();
