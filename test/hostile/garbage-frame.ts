// One binary frame that is not an event stream (a proxy's HTML error page sent as a WebSocket
// message). Today core/stream.ts closes with 1002, which the WHATWG WebSocket refuses to send
// (InvalidAccessError thrown inside onmessage: the process dies). Contract: close with 1000,
// report a retryable PROTOCOL error, reconnect; the next stream works and stop() completes.
import { monoToneInt16 } from './audio.ts';
import { scenario, sleep } from './harness.ts';
import { crossed } from './server.ts';
import { result, transcriptFrame } from './wire.ts';

const PAGE =
  '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>\r\n';

export default scenario(
  {
    name: 'garbage-frame',
    async run(h) {
      const srv = await h.server({
        audio(c, pcm) {
          if (!crossed(c, pcm, 3200)) return;
          if (c.record.n === 1) c.send(new TextEncoder().encode(PAGE));
          else c.send(transcriptFrame([result('second stream works')]));
        },
      });
      const stt = h.service({ endpoint: srv.endpoint }, { listen: 'events' });
      await h.start(stt, 3000);
      const pcm = monoToneInt16(1600, 16000);
      for (let i = 0; i < 40 && !h.report.transcripts.length; i++) {
        h.attempt('pushAudio', () => stt.pushAudio(pcm));
        await sleep(50);
      }
      h.fact('firstCloseCode', srv.record.connections[0]?.closeCode);
      await h.stop(stt, 2500);
    },
  },
  import.meta.url,
);
