// Pipecat parity against the emulator (issue 15), end to end over a real socket: every Transcribe
// Medical specialty and type starts; stabilization updates reach the application; TTFS is measured
// as Pipecat measures it over segmented finals; AWS's idle timeout while audio flows is retried once.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AWSTranscribeSTTService } from '../../../dist/adapters/node.js';
import type { Frame, MedicalSpecialty, MedicalType } from '../../../dist/adapters/node.js';
import { speechLikePcm } from '../../../dist/emulator/index.js';
import { withEmulator } from '../../helpers/emulator-client.ts';
import { emulatorService } from '../../helpers/emulator-service.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(ok: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Push 16 kHz PCM in 20 ms chunks at `pace` times real time. */
async function push(stt: AWSTranscribeSTTService, pcm: Uint8Array, pace = 4): Promise<void> {
  for (let o = 0; o < pcm.length; o += 640) {
    stt.pushAudio(pcm.subarray(o, o + 640));
    await sleep(20 / pace);
  }
}

const SPECIALTIES: MedicalSpecialty[] = ['PRIMARYCARE', 'CARDIOLOGY', 'NEUROLOGY', 'ONCOLOGY', 'RADIOLOGY', 'UROLOGY'];
const TYPES: MedicalType[] = ['CONVERSATION', 'DICTATION'];

test('Transcribe Medical: every specialty and type starts through the service and transcribes', () =>
  withEmulator({ script: ['the patient is stable'] }, async (emu) => {
    for (const specialty of SPECIALTIES) {
      for (const type of TYPES) {
        const stt = emulatorService(emu, { medical: true, specialty, type });
        const finals: string[] = [];
        stt.on('transcription', (f) => finals.push(f.text));
        await stt.start({ sampleRate: 16000 });
        await push(stt, speechLikePcm([{ speechMs: 600 }, { silenceMs: 600 }]), 8);
        const r = await stt.stop();
        assert.ok(r.complete, `${specialty}/${type}: ${r.error?.message}`);
        assert.equal(
          finals.map((t) => t.toLowerCase().replace(/[^a-z ]/g, '')),
          ['the patient is stable'],
          `${specialty}/${type}`,
        );
        const s = emu.sessions[emu.sessions.length - 1]!;
        assert.ok(s.medical, 'the medical path');
        assert.is(s.query.specialty, specialty);
        assert.is(s.query.type, type);
        assert.is(
          s.query['enable-partial-results-stabilization'],
          undefined,
          'no stabilization parameters for Medical',
        );
      }
    }
    assert.is(emu.sessions.length, SPECIALTIES.length * TYPES.length);
  }));

test('stabilization: partials whose items turn stable reach the application before the final', () =>
  withEmulator({ script: ['welcome to amazon transcribe'] }, async (emu) => {
    const stt = emulatorService(emu, { partialResultsStability: 'medium' });
    const frames: Frame[] = [];
    for (const name of ['interimTranscription', 'transcription'] as const) stt.on(name, (f) => frames.push(f));
    await stt.start({ sampleRate: 16000 });
    await push(stt, speechLikePcm([{ speechMs: 1200 }, { silenceMs: 800 }]));
    await stt.stop();
    const interims = frames.filter((f) => f.type === 'interimTranscription');
    const last = interims[interims.length - 1]!;
    const sameText = interims.filter((f) => f.text === last.text);
    assert.ok(sameText.length >= 2, `updates with unchanged text: ${sameText.length}`);
    const stable = (f: Frame): number =>
      f.type === 'interimTranscription' ? f.result.Alternatives[0]!.Items.filter((i) => i.Stable).length : 0;
    for (let i = 1; i < sameText.length; i++)
      assert.ok(stable(sameText[i]!) > stable(sameText[i - 1]!), 'each update stabilises more items');
    assert.is(frames[frames.length - 1]!.type, 'transcription', 'the final comes last');
  }));

test('TTFS as Pipecat measures it: from userStoppedSpeaking() to the last of several finals within the window', () =>
  withEmulator(
    { script: [{ finals: ['i would like a flight', 'to boston on monday'] }], finalDelayMs: 300 },
    async (emu) => {
      const stt = emulatorService(emu, { ttfsWindowMs: 2500 });
      const ttfs: number[] = [];
      const finalsAt: number[] = [];
      stt.on('metrics', (m) => ttfs.push(m.ttfs));
      stt.on('transcription', () => finalsAt.push(Date.now()));
      await stt.start({ sampleRate: 16000 });
      stt.userStartedSpeaking(); // the VAD hears speech: from now on TTFS is measured from its end of speech
      // Real time, so the wall clock matches the audio: two segments, then the end of speech.
      await push(stt, speechLikePcm([{ speechMs: 2000 }, { silenceMs: 100 }]), 1);
      const stoppedAt = Date.now();
      stt.userStoppedSpeaking();
      await push(stt, speechLikePcm([{ silenceMs: 900 }]), 1);
      await sleep(2600);
      await stt.stop();
      assert.is(finalsAt.length, 2, 'two finals for one utterance');
      assert.is(ttfs.length, 1, 'one measurement for the turn');
      const expected = (finalsAt[1]! - stoppedAt) / 1000;
      assert.ok(
        Math.abs(ttfs[0]! - expected) < 0.05,
        `ttfs ${ttfs[0]} against ${expected}: measured to the last final`,
      );
    },
  ));

test("AWS's idle timeout while audio flows: retried once as IDLE_TIMEOUT, fatal the second time in a row", () =>
  withEmulator({ script: ['first words', 'second words', 'third words'] }, async (emu) => {
    const stt = emulatorService(emu);
    const errors: Frame[] = [];
    const finals: string[] = [];
    stt.on('error', (f) => errors.push(f));
    stt.on('transcription', (f) => finals.push(f.text));
    const connected: number[] = [];
    stt.on('connected', (e) => connected.push(e.streamNumber));
    await stt.start({ sampleRate: 16000 });
    emu.fault({ type: 'idle-timeout', afterMs: 300 });
    await push(stt, speechLikePcm([{ speechMs: 800 }, { silenceMs: 700 }]));
    await until(() => connected.length === 2, 'the reconnect');
    const first = errors[0];
    assert.ok(
      first?.type === 'error' && first.error.code === 'IDLE_TIMEOUT' && !first.fatal && first.error.retryable,
      JSON.stringify(first),
    );
    emu.fault({ type: 'idle-timeout', afterMs: 300 });
    await push(stt, speechLikePcm([{ speechMs: 800 }, { silenceMs: 700 }]));
    await until(() => stt.state === 'failed', 'a second one in a row is fatal');
    const last = errors[errors.length - 1];
    assert.ok(last?.type === 'error' && last.fatal && last.error.code === 'IDLE_TIMEOUT');
    await stt.stop();
  }));

test.run();
