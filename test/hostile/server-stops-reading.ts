// The server stops reading its socket (a stuck peer): the kernel buffers fill, then the
// WebSocket's bufferedAmount. Today bufferedAmount is never checked: every frame is queued in
// memory, forever. Contract: frames wait in the bounded backlog while bufferedAmount is over 2 s
// of audio; a socket over the limit for 10 s is closed and reconnected (CONNECTION_LOST).
// Audio is pushed at 100x real time (2 s every 20 ms) so the kernel buffers (~4 MB) fill fast.
import { monoToneInt16 } from './audio.ts';
import { scenario, sleep } from './harness.ts';

export default scenario(
  {
    name: 'server-stops-reading',
    deadlineMs: 30_000,
    async run(h) {
      const srv = await h.server({ open: (c) => c.record.n === 1 && c.tcp.pause() });
      const stt = h.service({ endpoint: srv.endpoint, bufferSeconds: 5 }, { listen: 'events', logger: 'capture' });
      await h.start(stt, 3000);
      const chunk = monoToneInt16(32000, 16000);
      const base = h.memory();
      let peak = 0;
      let pushed = 0;
      const until = performance.now() + 18_000;
      while (performance.now() < until && srv.record.connections.filter((c) => c.openedAt !== undefined).length < 2) {
        h.attempt('pushAudio', () => stt.pushAudio(chunk));
        pushed++;
        await sleep(20);
        if (pushed % 25 === 0) peak = Math.max(peak, h.memory().arrayBuffers - base.arrayBuffers);
      }
      const lost = h.report.errors.find((e) => e.code === 'CONNECTION_LOST');
      h.fact('secondsPushed', pushed * 2);
      h.fact('peakArrayBuffersGrowthMB', +(peak / 2 ** 20).toFixed(2));
      h.fact('reconnectedAt', srv.record.connections[1]?.openedAt);
      h.fact('connectionLostAt', lost?.at);
      h.fact('stateAfter', stt.state);
      // The backlog (5 s) and the 2 s the new stream hears again (replaySeconds: the stalled socket
      // swallowed them), at twice real time after a 1 s burst: about 3 s.
      await h.stop(stt, 3500);
    },
  },
  import.meta.url,
);
