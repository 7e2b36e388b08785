// cancel() while the upgrade is still unanswered. Today the Node adapter treats the abandoned
// handshake as a refused one and sends its diagnostic GET (a second request with the signed URL,
// after the application said stop). Contract: no GET; start() settles at once.
import { scenario, sleep } from './harness.ts';

export default scenario(
  {
    name: 'cancel-during-connect',
    async run(h) {
      const srv = await h.server({ handshake: () => 'hold' });
      const stt = h.service({ endpoint: srv.endpoint }, { listen: 'events', logger: 'capture' });
      const started = h.start(stt, 1500);
      await h.waitFor(() => srv.record.upgrades >= 1, 1000);
      await sleep(100);
      const cancelledAt = h.since();
      h.attempt('cancel', () => stt.cancel());
      await started;
      await sleep(800);
      h.fact('cancelledAt', cancelledAt);
      h.fact('getsAfterCancel', srv.record.plainGetAt.filter((t) => t >= cancelledAt).length);
      h.fact('state', stt.state);
    },
  },
  import.meta.url,
);
