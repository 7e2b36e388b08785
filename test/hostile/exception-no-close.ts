// An exception message the server never follows with a close. Today the stream turns "ending"
// and waits forever: no error frame, audio dropped, silently. Contract: the client closes the
// stream itself, reports the exception (INTERNAL_FAILURE, retryable) and reconnects.
import { monoToneInt16 } from './audio.ts';
import { scenario, sleep } from './harness.ts';
import { crossed } from './server.ts';
import { exceptionFrame } from './wire.ts';

export default scenario(
  {
    name: 'exception-no-close',
    async run(h) {
      let sentAt = -1;
      const srv = await h.server({
        audio(c, pcm) {
          if (c.record.n !== 1 || !crossed(c, pcm, 3200)) return;
          sentAt = h.since();
          c.send(exceptionFrame('InternalFailureException', 'An internal error occurred.'));
        },
      });
      const stt = h.service({ endpoint: srv.endpoint }, { listen: 'events', logger: 'capture' });
      await h.start(stt, 3000);
      const pcm = monoToneInt16(1600, 16000);
      for (let i = 0; i < 60 && srv.record.upgrades < 2; i++) {
        h.attempt('pushAudio', () => stt.pushAudio(pcm));
        await sleep(50);
      }
      h.fact('exceptionSentAt', sentAt);
      h.fact('firstStreamClosedAt', srv.record.connections[0]?.closedAt);
      h.fact('errorFrameAt', h.report.errors[0]?.at);
      await h.stop(stt, 2500);
    },
  },
  import.meta.url,
);
