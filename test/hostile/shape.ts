// Well-framed TranscriptEvents of the wrong shape (and one event type nobody knows). Each variant
// sends its bad event twice on one stream, then a good final. Contract: a wrong-shaped event or
// result is skipped and reported once per stream as a non-fatal PROTOCOL error, the stream goes
// on (the good final arrives); a result without Alternatives is valid (skipped, no error);
// unknown event types are ignored. Variants marked "after a reconnect" run on the second stream,
// whose times are shifted by the audio of the first (the path that iterates Items and adds offsets).
import { monoToneInt16 } from './audio.ts';
import { scenario, sleep } from './harness.ts';
import { crossed } from './server.ts';
import { eventFrame, result, transcriptFrame } from './wire.ts';

const good = result('hello world', { start: 0.1, end: 0.7 });

const VARIANTS: Record<string, { bad: () => Uint8Array; reconnect?: boolean }> = {
  'results-empty-object': { bad: () => transcriptFrame([{}]) },
  'results-null': { bad: () => transcriptFrame([null]) },
  'no-alternatives': {
    bad: () => transcriptFrame([{ ResultId: 'r0', StartTime: 0.1, EndTime: 0.4, IsPartial: false }]),
  },
  'transcript-not-string': {
    bad: () => transcriptFrame([{ ...result('x'), Alternatives: [{ Transcript: 42, Items: [] }] }]),
  },
  'items-not-iterable': {
    reconnect: true,
    bad: () => transcriptFrame([{ ...result('x'), Alternatives: [{ Transcript: 'bad items', Items: { length: 1 } }] }]),
  },
  'start-time-string': { reconnect: true, bad: () => transcriptFrame([{ ...result('bad times'), StartTime: '1.5' }]) },
  'results-not-array': { bad: () => eventFrame('TranscriptEvent', { Transcript: { Results: { 0: result('x') } } }) },
  'unknown-event': { bad: () => eventFrame('FutureInsightsEvent', { Insights: [{ Kind: 'new' }] }) },
};

export default scenario(
  {
    name: 'shape',
    async run(h, [variant = '']) {
      const v = VARIANTS[variant];
      if (!v) throw new Error(`unknown variant ${variant}: one of ${Object.keys(VARIANTS).join(', ')}`);
      const target = v.reconnect ? 2 : 1;
      const srv = await h.server({
        audio(c, pcm) {
          if (c.record.n < target) {
            if (crossed(c, pcm, 16000)) c.close(1011, 'internal error');
            return;
          }
          if (!crossed(c, pcm, 3200)) return;
          c.send(v.bad());
          c.send(v.bad());
          setTimeout(() => c.send(transcriptFrame([good])), 50);
        },
      });
      const stt = h.service({ endpoint: srv.endpoint, maxReconnectAttempts: 2 }, { listen: 'both', logger: 'capture' });
      await h.start(stt, 3000);
      const pcm = monoToneInt16(1600, 16000);
      for (let i = 0; i < 80 && !h.report.transcripts.some((t) => t.text === 'hello world'); i++) {
        h.attempt('pushAudio', () => stt.pushAudio(pcm));
        await sleep(40);
      }
      h.fact('targetStream', target);
      await h.stop(stt, 2500);
    },
  },
  import.meta.url,
);
