// One pushAudio of 200 s of audio (a recorded file pushed in one call). Today it blocks the loop
// and sends all of it at once (AWS answers "Your stream is too big"). Contract: a single push
// longer than bufferSeconds throws INVALID_AUDIO (pace recorded audio); the service runs on.
import { monoToneInt16 } from './audio.ts';
import { scenario, sleep } from './harness.ts';

export default scenario(
  {
    name: 'huge-push-audio',
    async run(h) {
      const srv = await h.server({});
      const stt = h.service({ endpoint: srv.endpoint }, { listen: 'events', logger: 'capture' });
      await h.start(stt, 3000);
      const big = monoToneInt16(16000 * 200, 16000);
      const t = performance.now();
      h.attempt('push-200s', () => stt.pushAudio(big));
      h.fact('pushMs', Math.round(performance.now() - t));
      await sleep(500);
      h.fact('serverAudioSecondsAfterBigPush', srv.record.connections.reduce((n, c) => n + c.audioBytes, 0) / 32000);
      h.attempt('push-ok', () => stt.pushAudio(big.subarray(0, 1600)));
      h.fact('stateAfter', stt.state);
      await h.stop(stt, 2500);
    },
  },
  import.meta.url,
);
