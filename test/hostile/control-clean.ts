// The control: a well-behaved server (a partial, a final, the last final at end of stream, a
// normal close). Everything must pass here, or the harness itself is wrong.
import { monoToneInt16 } from './audio.ts';
import { scenario, sleep } from './harness.ts';
import { crossed } from './server.ts';
import { result, transcriptFrame } from './wire.ts';

export default scenario(
  {
    name: 'control-clean',
    async run(h) {
      const srv = await h.server({
        audio(c, pcm) {
          if (!crossed(c, pcm, 16000)) return;
          c.send(transcriptFrame([result('hello', { partial: true })]));
          c.send(transcriptFrame([result('hello world')]));
        },
        end(c) {
          c.send(transcriptFrame([result('goodbye', { start: 1, end: 1.5 })]));
          c.close(1000);
        },
      });
      const stt = h.service({ endpoint: srv.endpoint }, { listen: 'both', logger: 'capture' });
      await h.start(stt, 3000);
      const pcm = monoToneInt16(16000, 16000);
      for (let i = 0; i < 10; i++) {
        h.attempt('pushAudio', () => stt.pushAudio(pcm.subarray(i * 1600, (i + 1) * 1600)));
        await sleep(20);
      }
      await h.waitFor(() => h.report.transcripts.some((t) => t.text === 'hello world'), 2000);
      await h.stop(stt, 2500);
    },
  },
  import.meta.url,
);
