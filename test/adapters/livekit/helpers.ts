// What the LiveKit plugin's tests share: the scripted emulator, an STT on it, 48 kHz AudioFrames pushed
// at a pace, and the SpeechEvents a stream yields, collected and named.
import { stt as lk } from '@livekit/agents';
import { AudioFrame } from '@livekit/rtc-node';
import { STT } from '../../../dist/adapters/livekit/index.js';
import type { STTOptions } from '../../../dist/adapters/livekit/index.js';
import { speechLikePcm } from '../../../dist/emulator/index.js';
import type { Emulator, EmulatorOptions } from '../../../dist/emulator/index.js';
import { withEmulator } from '../../helpers/emulator-client.ts';

export const SCRIPT = ['hello there', 'how are you today', 'goodbye for now'];

/** The emulator with SCRIPT (and `o`), closed after `fn`. */
export const withScriptedEmulator = (fn: (emu: Emulator) => Promise<void>, o: EmulatorOptions = {}): Promise<void> =>
  withEmulator({ script: SCRIPT, ...o }, fn);
export const RATE = 48000;
/** LiveKit rooms deliver 10 ms frames. */
export const FRAME = RATE / 100;

export function transcribeStt(emu: Emulator, extra: STTOptions = {}): STT {
  return new STT({
    endpoint: emu.endpoint,
    awsAccessKeyId: emu.credentials.accessKeyId,
    apiKey: emu.credentials.secretAccessKey,
    language: 'en-US',
    logger: {},
    ...extra,
  });
}

/** Speech-like bursts as 10 ms AudioFrames (48 kHz mono unless told). */
export function frames(segments: Parameters<typeof speechLikePcm>[0], rate = RATE, channels = 1): AudioFrame[] {
  const pcm = speechLikePcm(segments, { sampleRate: rate, channels });
  const samples = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 2);
  const n = rate / 100;
  const out: AudioFrame[] = [];
  for (let i = 0; i + n * channels <= samples.length; i += n * channels) {
    out.push(new AudioFrame(samples.slice(i, i + n * channels), rate, channels, n));
  }
  return out;
}

/** Push at 4x real time (the emulator times results from the audio, not the clock); `each` sees every frame index. */
export async function pushPaced(
  stream: lk.SpeechStream,
  list: readonly AudioFrame[],
  each?: (i: number) => void,
): Promise<void> {
  for (let i = 0; i < list.length; i++) {
    each?.(i);
    stream.pushFrame(list[i]!);
    if (i % 10 === 9) await new Promise((r) => setTimeout(r, 25));
  }
}

export const NAMES = ['START', 'INTERIM', 'FINAL', 'END', 'USAGE', 'PREFLIGHT'];

/** Collects a stream's events until its iteration ends. */
export function collect(
  stream: lk.SpeechStream,
  onEvent?: (ev: lk.SpeechEvent) => void,
): { events: lk.SpeechEvent[]; done: Promise<void> } {
  const events: lk.SpeechEvent[] = [];
  const done = (async () => {
    for await (const ev of stream) {
      events.push(ev);
      onEvent?.(ev);
    }
  })();
  return { events, done };
}

/** `START INTERIM("hello") … FINAL("hello there") END …` */
export function sequence(events: readonly lk.SpeechEvent[]): string {
  return events
    .map((e) => {
      const name = NAMES[e.type]!;
      if (e.alternatives) return `${name}("${e.alternatives[0].text}")`;
      if (e.recognitionUsage) return `${name}(${e.recognitionUsage.audioDuration.toFixed(2)} s)`;
      return name;
    })
    .join(' ');
}

export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>(
        (_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)),
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export const finals = (events: readonly lk.SpeechEvent[]): lk.SpeechData[] =>
  events.filter((e) => e.type === lk.SpeechEventType.FINAL_TRANSCRIPT).map((e) => e.alternatives![0]);
