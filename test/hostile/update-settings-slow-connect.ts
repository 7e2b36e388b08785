// updateSettings() while the first upgrade is still unanswered (the server answers each one 800 ms
// late). Today closing the connecting socket counts as a failed handshake: it spends a retry
// (connectionError, an error frame) and, with no retry left, makes the service fatal while
// updateSettings resolves true. Contract: the connecting socket is abandoned, which is not a
// failure: no error, no retry spent, the new settings connect.
import { monoToneInt16 } from './audio.ts';
import { scenario, sleep } from './harness.ts';

export default scenario(
  {
    name: 'update-settings-slow-connect',
    async run(h) {
      const srv = await h.server({ handshake: () => ({ delayMs: 800 }) });
      const stt = h.service({ endpoint: srv.endpoint, maxReconnectAttempts: 1 }, { listen: 'both', logger: 'capture' });
      const started = h.start(stt, 4000);
      await h.waitFor(() => srv.record.upgrades >= 1, 1500);
      await sleep(100);
      const updated = await h.settle(stt.updateSettings({ language: 'en-GB' }), 4000, 'updateSettings');
      await started;
      const pcm = monoToneInt16(1600, 16000);
      for (let i = 0; i < 5; i++) {
        h.attempt('pushAudio', () => stt.pushAudio(pcm));
        await sleep(20);
      }
      h.fact('updateSettings', { state: updated.state, value: updated.value, error: updated.error?.code });
      h.fact('stateAfter', stt.state);
      h.fact(
        'languages',
        srv.record.connections.map((c) => c.query['language-code']),
      );
      h.fact(
        'openedLanguages',
        srv.record.connections.filter((c) => c.openedAt !== undefined).map((c) => c.query['language-code']),
      );
      await h.stop(stt, 2500);
    },
  },
  import.meta.url,
);
