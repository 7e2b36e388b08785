// A credentials provider that never answers. Today start() waits forever. Contract:
// credentialsTimeoutMs bounds it (CREDENTIALS_TIMEOUT, retryable); once the attempts are spent
// start() rejects. (The keys are given too: a provider wins over them.)
import { scenario } from './harness.ts';

export default scenario(
  {
    name: 'credentials-never-resolve',
    async run(h) {
      const srv = await h.server({});
      let asked = 0;
      const stt = h.service(
        {
          endpoint: srv.endpoint,
          credentials: () => {
            asked++;
            return new Promise(() => undefined);
          },
          credentialsTimeoutMs: 500,
          maxReconnectAttempts: 1,
        },
        { listen: 'events', logger: 'capture' },
      );
      await h.start(stt, 3500);
      h.fact('providerCalls', asked);
      await h.stop(stt, 2500);
    },
  },
  import.meta.url,
);
