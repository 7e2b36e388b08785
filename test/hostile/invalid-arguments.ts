// Misuse with bad rates and channel counts. Today pushAudio and start throw a plain TypeError
// with no code. Contract: start's rate gives OptionError (INVALID_OPTION, option sampleRate);
// bad audio, channels or rate in a push give TranscribeError INVALID_AUDIO; the service runs on.
import { monoToneInt16 } from './audio.ts';
import { scenario, sleep } from './harness.ts';

export default scenario(
  {
    name: 'invalid-arguments',
    async run(h) {
      const srv = await h.server({});
      const stt = h.service({ endpoint: srv.endpoint }, { listen: 'events', logger: 'capture' });
      const bad = await h.settle(
        stt.start({ sampleRate: 7 }).then(() => undefined),
        1000,
        'thrown.start',
      );
      if (bad.error) h.report.thrown.push({ call: 'start-rate-7', ...bad.error });
      else h.fact('startRate7', bad.state);
      await h.start(stt, 3000);
      const pcm = monoToneInt16(1600, 16000);
      h.attempt('push-channels-3', () => stt.pushAudio(pcm, { channels: 3 as unknown as 1 }));
      h.attempt('push-rate-5', () => stt.pushAudio(pcm, { sampleRate: 5 }));
      h.attempt('push-string', () => stt.pushAudio('not audio' as unknown as Int16Array));
      h.attempt('push-ok', () => stt.pushAudio(pcm));
      await sleep(100);
      h.fact('stateAfter', stt.state);
      await h.stop(stt, 2500);
    },
  },
  import.meta.url,
);
