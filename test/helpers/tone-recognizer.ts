// A recognizer for the emulator that names each utterance by its pitch ("tone 500"), so a test can
// tell which utterance a final belongs to whichever stream heard it: after a reconnect, the new
// stream transcribes the same words the old one would have. Energy VAD over 20 ms frames.
import type { TranscriptResult } from '../../dist/core/index.js';
import type { Recognizer, RecognizerContext } from '../../dist/emulator/index.js';

const FRAME = 320; // 20 ms at 16 kHz
const SPEECH_RMS = 1000;
const END_SILENCE_FRAMES = 15; // 300 ms
const MIN_SPEECH_FRAMES = 5;

export function toneRecognizer(ctx: RecognizerContext): Recognizer {
  const rate = ctx.sampleRate;
  const frame = Math.round((FRAME * rate) / 16000);
  const pending = new Int16Array(frame);
  let fill = 0;
  let sample = 0; // samples seen so far in this stream
  let speechStart = -1;
  let speechFrames = 0;
  let silence = 0;
  let crossings = 0;
  let firstCrossing = -1;
  let lastCrossing = -1;
  let last = 0;
  let n = 0;

  const result = (partial: boolean, endSample: number): TranscriptResult => {
    // Frequency from the span between the first and the last zero crossing: exact for a tone.
    const seconds = (lastCrossing - firstCrossing) / rate;
    const pitch = seconds > 0 ? Math.round((crossings - 1) / 2 / seconds / 50) * 50 : 0;
    return {
      ResultId: `${ctx.id}-${n}`,
      StartTime: speechStart / rate,
      EndTime: endSample / rate,
      IsPartial: partial,
      Alternatives: [{ Transcript: partial ? 'tone' : `tone ${pitch}`, Items: [] }],
    };
  };

  const frameDone = (out: TranscriptResult[]): void => {
    let sum = 0;
    for (let i = 0; i < frame; i++) sum += pending[i]! * pending[i]!;
    const loud = Math.sqrt(sum / frame) >= SPEECH_RMS;
    if (loud) {
      if (speechStart < 0) {
        speechStart = sample;
        speechFrames = 0;
        crossings = 0;
        firstCrossing = lastCrossing = -1;
      }
      for (let i = 0; i < frame; i++) {
        const v = pending[i]!;
        if (v >= 0 !== last >= 0) {
          crossings++;
          if (firstCrossing < 0) firstCrossing = sample + i;
          lastCrossing = sample + i;
        }
        last = v;
      }
      speechFrames++;
      silence = 0;
      if (speechFrames % 10 === 0) out.push(result(true, sample + frame));
    } else if (speechStart >= 0 && ++silence >= END_SILENCE_FRAMES) {
      last = 0;
      if (speechFrames >= MIN_SPEECH_FRAMES) out.push(result(false, sample + frame - silence * frame));
      speechStart = -1;
      n++;
    }
    sample += frame;
  };

  return {
    push(audio) {
      const out: TranscriptResult[] = [];
      const view = new DataView(audio.buffer, audio.byteOffset, audio.byteLength);
      for (let i = 0; i + 1 < audio.length; i += 2) {
        pending[fill++] = view.getInt16(i, true);
        if (fill === frame) {
          fill = 0;
          frameDone(out);
        }
      }
      return out;
    },
    flush() {
      const out: TranscriptResult[] = [];
      if (speechStart >= 0 && speechFrames >= MIN_SPEECH_FRAMES) out.push(result(false, sample));
      speechStart = -1;
      return out;
    },
  };
}
