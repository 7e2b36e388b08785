// AWSTranscribeSTTService end to end through the Node adapter against the bundled emulator: the
// clamp-and-resample rule, the scripted interim/final sequence, settings updates and stop.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AWSTranscribeSTTService } from '../../dist/adapters/node.js';
import type { Frame, TranscribeError } from '../../dist/adapters/node.js';
import { PcmPipeline } from '../../dist/dsp/index.js';
import { speechLikePcm } from '../../dist/emulator/index.js';
import type { Emulator, EmulatorOptions } from '../../dist/emulator/index.js';
import { withEmulator } from '../helpers/emulator-client.ts';
import { emulatorService } from '../helpers/emulator-service.ts';

const SCRIPT = ['hello there', 'how are you today', 'goodbye for now'];

/** The emulator with SCRIPT (and `o`), closed after `fn`. */
const withScriptedEmulator = (fn: (emu: Emulator) => Promise<void>, o: EmulatorOptions = {}): Promise<void> =>
  withEmulator({ script: SCRIPT, ...o }, fn);

/** Int16 mono PCM -> Float32 interleaved stereo at the same rate (both channels equal). */
function toFloatStereo(pcm: Uint8Array): Float32Array {
  const s = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 2);
  const out = new Float32Array(s.length * 2);
  for (let i = 0; i < s.length; i++) out[2 * i] = out[2 * i + 1] = s[i]! / 32768;
  return out;
}

/** Magnitude of `freq` in 16-bit PCM (Goertzel over the whole signal, normalised to amplitude). */
function tone(pcm: Uint8Array, rate: number, freq: number): number {
  const s = new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength));
  let re = 0;
  let im = 0;
  for (let i = 0; i < s.length; i++) {
    const a = (2 * Math.PI * freq * i) / rate;
    re += s[i]! * Math.cos(a);
    im -= s[i]! * Math.sin(a);
  }
  return (2 * Math.hypot(re, im)) / s.length / 32768;
}

async function pushInChunks(
  stt: AWSTranscribeSTTService,
  audio: Float32Array,
  rate: number,
  channels: 1 | 2,
): Promise<void> {
  const step = (rate / 50) * channels; // 20 ms
  for (let i = 0; i < audio.length; i += step) {
    stt.pushAudio(audio.subarray(i, i + step), { channels });
    if ((i / step) % 25 === 0) await new Promise((r) => setImmediate(r));
  }
}

test('48 kHz Float32 stereo arrives as 16 kHz mono Int16 with its 1 kHz tone intact', () =>
  withScriptedEmulator(async (emu) => {
    const stt = emulatorService(emu);
    await stt.start({ sampleRate: 48000 });
    const seconds = 1;
    const input = new Float32Array(48000 * seconds * 2);
    for (let i = 0; i < 48000 * seconds; i++)
      input[2 * i] = input[2 * i + 1] = 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 48000);
    await pushInChunks(stt, input, 48000, 2);
    await stt.stop();
    const session = emu.sessions[0]!;
    assert.is(session.query['sample-rate'], '16000');
    assert.is(session.query['media-encoding'], 'pcm');
    // 1 s in, about 1 s out (the resampler's tail is flushed at stop).
    assert.ok(Math.abs(session.audio.length / 2 - 16000) <= 64, `got ${session.audio.length / 2} samples`);
    const steady = session.audio.subarray(3200, 3200 + 16000);
    const gain = tone(steady, 16000, 1000);
    assert.ok(Math.abs(20 * Math.log10(gain / 0.5)) < 0.05, `1 kHz level ${gain}`);
    assert.ok(tone(steady, 16000, 3000) < 1e-3, 'no spurious tone');
    assert.is(session.closeCode, 1000);
  }));

test('speech at 48 kHz stereo yields the scripted interims and finals, in order, before stop() resolves', () =>
  withScriptedEmulator(async (emu) => {
    const stt = emulatorService(emu, { settings: { language: 'en-GB' } });
    const frames: Frame[] = [];
    const it = (async () => {
      for await (const f of stt.frames()) frames.push(f);
    })();
    await stt.start({ sampleRate: 48000, userId: 'caller-7' });
    const pcm = speechLikePcm(
      [
        { silenceMs: 300 },
        { speechMs: 900 },
        { silenceMs: 900 },
        { speechMs: 1200 },
        { silenceMs: 900 },
        { speechMs: 1000 },
        { silenceMs: 300 },
      ],
      { sampleRate: 48000 },
    );
    await pushInChunks(stt, toFloatStereo(pcm), 48000, 2);
    await stt.stop();
    await it;
    const finals = frames.filter((f) => f.type === 'transcription');
    const words = (s: string): string =>
      s
        .toLowerCase()
        .replace(/[^a-z ]/g, '')
        .trim();
    assert.equal(
      finals.map((f) => (f.type === 'transcription' ? words(f.text) : '')),
      SCRIPT,
    );
    const interims = frames.filter((f) => f.type === 'interimTranscription');
    assert.ok(interims.length >= 3, `interims: ${interims.length}`);
    // Consecutive interims always show something new: other text, or items that became stable.
    const seen = (f: Frame): string =>
      f.type === 'interimTranscription'
        ? `${f.text}|${f.result.Alternatives[0]!.Items.map((i) => i.Stable).join()}`
        : '';
    for (let i = 1; i < interims.length; i++) assert.is.not(seen(interims[i]!), seen(interims[i - 1]!));
    for (const f of finals) {
      assert.ok(f.type === 'transcription');
      assert.is(f.userId, 'caller-7');
      assert.is(f.language, 'en-GB');
    }
    assert.is(emu.sessions[0]!.query['language-code'], 'en-GB');
    assert.is(emu.sessions[0]!.closeCode, 1000);
    assert.equal(frames[0]!.type, 'metadata');
  }));

test('updateSettings switches to a new stream with the new language, losing no audio', () =>
  withScriptedEmulator(async (emu) => {
    const stt = emulatorService(emu);
    await stt.start({ sampleRate: 16000 });
    const a = speechLikePcm([{ speechMs: 500 }, { silenceMs: 700 }]);
    stt.pushAudio(a);
    assert.is(await stt.updateSettings({ language: 'fr-FR' }), true);
    const next = emu.sessions.length > 1 ? emu.sessions[1]! : await emu.nextSession();
    const b = speechLikePcm([{ silenceMs: 400 }, { speechMs: 500 }, { silenceMs: 700 }]);
    stt.pushAudio(b);
    await stt.stop();
    assert.is(next.query['language-code'], 'fr-FR');
    assert.is(emu.sessions.length, 2);
    const received = new Uint8Array([...emu.sessions[0]!.audio, ...emu.sessions[1]!.audio]);
    assert.equal(Array.from(received), [...a, ...b], 'every byte, in order, across both streams');
  }));

test('a wrong secret is refused before the upgrade: fatal AUTH_FAILED naming the IAM action, no retry loop', () =>
  withScriptedEmulator(async (emu) => {
    const stt = emulatorService(emu, { apiKey: 'not-the-secret' });
    const errors: Frame[] = [];
    stt.on('error', (f) => errors.push(f));
    const refused = await stt.start({ sampleRate: 16000 }).then(
      () => undefined,
      (e: TranscribeError) => e,
    );
    assert.is(refused?.code, 'AUTH_FAILED', 'start() rejects with the fatal error');
    assert.is(stt.state, 'failed');
    assert.is(errors.length, 1);
    const e = errors[0]!;
    assert.ok(e.type === 'error' && e.fatal && e.error.code === 'AUTH_FAILED' && e.error.status === 403);
    assert.match(e.type === 'error' ? e.error.message : '', /transcribe:StartStreamTranscriptionWebSocket/);
    assert.is(emu.sessions.length, 0);
  }));

test('channel identification sends interleaved 16 kHz stereo: each channel resampled alone, results per channel', () =>
  withScriptedEmulator(async (emu) => {
    const stt = emulatorService(emu, { enableChannelIdentification: true, numberOfChannels: 2 });
    const finals: Frame[] = [];
    stt.on('transcription', (f) => finals.push(f));
    await stt.start({ sampleRate: 48000 });
    // Left speaks first, then right: a caller and an agent on one stereo line.
    const left = speechLikePcm([{ speechMs: 800 }, { silenceMs: 1600 }], { sampleRate: 48000 });
    const right = speechLikePcm([{ silenceMs: 1200 }, { speechMs: 800 }, { silenceMs: 400 }], { sampleRate: 48000 });
    const l = new Int16Array(left.buffer, left.byteOffset, left.byteLength / 2);
    const r = new Int16Array(right.buffer, right.byteOffset, right.byteLength / 2);
    const stereo = new Float32Array(l.length * 2);
    for (let i = 0; i < l.length; i++) {
      stereo[2 * i] = l[i]! / 32768;
      stereo[2 * i + 1] = r[i]! / 32768;
    }
    assert.throws(() => stt.pushAudio(new Float32Array(480)), /channel identification needs interleaved stereo/);
    await pushInChunks(stt, stereo, 48000, 2);
    await stt.stop();
    const session = emu.sessions[0]!;
    assert.is(session.query['number-of-channels'], '2');
    assert.is(session.query['enable-channel-identification'], 'true');
    // Each wire channel equals that channel through its own mono resampler.
    const mono = (x: Int16Array): Int16Array => {
      const p = new PcmPipeline({ from: 48000, to: 16000 });
      const bytes = Uint8Array.from([...p.process(Float32Array.from(x, (v) => v / 32768)), ...p.flush()]);
      return new Int16Array(bytes.buffer);
    };
    const wire = new Int16Array(
      session.audio.buffer.slice(session.audio.byteOffset, session.audio.byteOffset + session.audio.byteLength),
    );
    const [wl, wr] = [mono(l), mono(r)];
    assert.is(wire.length, wl.length * 2);
    for (let i = 0; i < wl.length; i++) {
      if (wire[2 * i] !== wl[i] || wire[2 * i + 1] !== wr[i]) assert.unreachable(`sample ${i} differs`);
    }
    const channels = finals.map((f) => (f.type === 'transcription' ? f.result.ChannelId : ''));
    assert.equal(channels, ['ch_0', 'ch_1']);
  }));

test.run();
