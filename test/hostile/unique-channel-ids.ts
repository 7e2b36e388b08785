// Big partials, each on a channel id never seen before. Today the interim de-duplication map is
// keyed by whatever ChannelId the server sends and kept after stop(): 100 x 200 KB partials stay
// in memory (20 MB) for the life of the service object. Contract: at most the channels AWS sends
// (ch_0, ch_1) are kept, and the map is cleared at stop.
import { monoToneInt16 } from './audio.ts';
import { scenario, sleep } from './harness.ts';
import { crossed } from './server.ts';
import { result, transcriptFrame } from './wire.ts';

const PARTIALS = 100;
const TEXT_BYTES = 200_000;

export default scenario(
  {
    name: 'unique-channel-ids',
    async run(h) {
      const filler = 'lorem ipsum dolor sit amet '.repeat(Math.ceil(TEXT_BYTES / 27)).slice(0, TEXT_BYTES);
      const srv = await h.server({
        audio(c, pcm) {
          if (!crossed(c, pcm, 3200)) return;
          for (let i = 0; i < PARTIALS; i++) {
            const r = {
              ResultId: `p${i}`,
              StartTime: 0.1,
              EndTime: 0.2,
              IsPartial: true,
              ChannelId: `ch_${1000 + i}`,
              Alternatives: [{ Transcript: `${i} ${filler}`, Items: [] }],
            };
            c.send(transcriptFrame([r]));
          }
          c.send(transcriptFrame([result('done', { channel: 'ch_0' })]));
        },
      });
      const stt = h.service({ endpoint: srv.endpoint }, { listen: 'events', logger: 'capture' });
      await h.start(stt, 3000);
      const before = h.memory();
      const pcm = monoToneInt16(1600, 16000);
      h.attempt('pushAudio', () => stt.pushAudio(pcm));
      h.attempt('pushAudio', () => stt.pushAudio(pcm));
      await h.waitFor(() => h.report.transcripts.some((t) => t.text === 'done'), 8000, 20);
      await sleep(50);
      const during = h.memory();
      await h.stop(stt, 2500);
      const after = h.memory();
      h.fact('interimsDelivered', h.report.transcripts.filter((t) => t.type === 'interimTranscription').length);
      h.fact('heapGrowthBeforeStopMB', +((during.heapUsed - before.heapUsed) / 2 ** 20).toFixed(2));
      h.fact('heapGrowthAfterStopMB', +((after.heapUsed - before.heapUsed) / 2 ** 20).toFixed(2));
      h.fact('serviceStillReferenced', stt.state);
    },
  },
  import.meta.url,
);
