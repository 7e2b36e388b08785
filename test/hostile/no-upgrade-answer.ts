// A load balancer that accepts TCP and never answers the upgrade. Today start() stays pending for
// minutes. Contract: connectTimeoutMs bounds each attempt (CONNECT_TIMEOUT, retryable, no
// diagnostic GET); once the attempts are spent the service is fatal and start() rejects.
import { monoToneInt16 } from './audio.ts';
import { scenario } from './harness.ts';

export default scenario(
  {
    name: 'no-upgrade-answer',
    async run(h) {
      const srv = await h.silentServer();
      const stt = h.service(
        { endpoint: srv.endpoint, connectTimeoutMs: 500, maxReconnectAttempts: 1 },
        { listen: 'events', logger: 'capture' },
      );
      const started = h.start(stt, 3500);
      h.attempt('pushAudio', () => stt.pushAudio(monoToneInt16(1600, 16000)));
      await started;
      h.fact('upgradeAttempts', srv.record.upgrades);
      await h.stop(stt, 2500);
    },
  },
  import.meta.url,
);
