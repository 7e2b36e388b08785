// The stream fails while stop() drains it: the server answers the end-of-stream with an exception
// (variant exception) or drops the TCP connection (variant abnormal-close). Today stop() resolves
// as if all went well and the last finals are gone without a sign. Contract: stop() resolves with
// { complete: false, error } and a fatal error frame reports it.
import { monoToneInt16 } from './audio.ts';
import { scenario, sleep } from './harness.ts';
import type { Conn } from './server.ts';
import { exceptionFrame, result, transcriptFrame } from './wire.ts';

const VARIANTS: Record<string, (c: Conn) => void> = {
  exception: (c) => {
    c.send(exceptionFrame('InternalFailureException', 'An internal error occurred while finishing the stream.'));
    setTimeout(() => c.close(1000), 20);
  },
  'abnormal-close': (c) => c.terminate(),
};

export default scenario(
  {
    name: 'drain-failure',
    async run(h, [variant = '']) {
      const end = VARIANTS[variant];
      if (!end) throw new Error(`unknown variant ${variant}: one of ${Object.keys(VARIANTS).join(', ')}`);
      const srv = await h.server({
        open: (c) => c.send(transcriptFrame([result('still speaking', { partial: true })])),
        end,
      });
      const stt = h.service(
        { endpoint: srv.endpoint },
        { listen: variant === 'exception' ? 'both' : 'frames', logger: 'capture' },
      );
      await h.start(stt, 3000);
      const pcm = monoToneInt16(1600, 16000);
      for (let i = 0; i < 5; i++) {
        h.attempt('pushAudio', () => stt.pushAudio(pcm));
        await sleep(20);
      }
      await h.stop(stt, 2500);
      h.fact('endOfStreamSent', srv.record.connections[0]?.endOfStream);
    },
  },
  import.meta.url,
);
