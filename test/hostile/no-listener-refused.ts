// Nobody listens: no error listener, no frames() iterator, no logger option. The server refuses
// every upgrade (403: not retryable; 503: retryable until the attempts are spent). Today start()
// and stop() resolve and nothing is printed: the process exits 0 after a connect that never
// worked. Contract: start() rejects with the fatal error, and the default logger prints it
// (console.error, so the runner finds it on stderr), without a secret.
import { scenario } from './harness.ts';

const BODY: Record<string, string> = {
  '403': JSON.stringify({ message: 'The security token included in the request is invalid.' }),
  '503': JSON.stringify({ message: 'Service is currently unavailable. Please try again.' }),
};

export default scenario(
  {
    name: 'no-listener-refused',
    async run(h, [status = '403']) {
      const body = BODY[status];
      if (!body) throw new Error(`unknown status ${status}`);
      const refusal = { status: Number(status), body, contentType: 'application/json' };
      const srv = await h.server({ handshake: () => refusal, plainGet: () => refusal });
      const stt = h.service({ endpoint: srv.endpoint, maxReconnectAttempts: 1 }, { listen: 'none', logger: 'default' });
      await h.start(stt, 4000);
      await h.stop(stt, 2500);
      h.fact('upgrades', srv.record.upgrades);
    },
  },
  import.meta.url,
);
