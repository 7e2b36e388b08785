// A server that fails every stream 2.1 s after it opens: it closes it (variant close) or sends
// LimitExceededException first (variant limit). Today the attempt counter resets on every open
// and the quick-failure guard only counts streams under 2 s: a new stream every ~2.3 s, 26 a
// minute, forever. Contract: backoff spans incidents (a run of failures ends only after 60 s
// open): delay = min(cap, base * 2^(n-1)) * jitter(0.5..1), base 250 ms (throttling: 1 s).
// Measured here: the gap between each close and the next upgrade, over a few failures.
import { monoToneInt16 } from './audio.ts';
import { scenario, sleep } from './harness.ts';
import type { Conn } from './server.ts';
import { exceptionFrame } from './wire.ts';

const VARIANTS: Record<string, { opens: number; fail: (c: Conn) => void }> = {
  close: { opens: 5, fail: (c) => c.close(1000) },
  limit: {
    opens: 4,
    fail: (c) => {
      c.send(exceptionFrame('LimitExceededException', 'You have reached your limit of concurrent streams.'));
      setTimeout(() => c.close(1000), 20);
    },
  },
};

export default scenario(
  {
    name: 'fail-after-open',
    deadlineMs: 30_000,
    async run(h, [variant = '']) {
      const v = VARIANTS[variant];
      if (!v) throw new Error(`unknown variant ${variant}: one of ${Object.keys(VARIANTS).join(', ')}`);
      const srv = await h.server({ open: (c) => void setTimeout(() => v.fail(c), 2100) });
      const stt = h.service(
        { endpoint: srv.endpoint, maxReconnectAttempts: 100 },
        { listen: 'events', logger: 'capture' },
      );
      await h.start(stt, 3000);
      const pcm = monoToneInt16(1600, 16000);
      const until = performance.now() + 21_000;
      // Until the wanted number of streams has opened and failed, or the window ends.
      while (
        performance.now() < until &&
        !(srv.record.connections.length >= v.opens && srv.record.connections[v.opens - 1]!.openedAt !== undefined)
      ) {
        h.attempt('pushAudio', () => stt.pushAudio(pcm));
        await sleep(100);
      }
      const conns = srv.record.connections;
      const gaps: number[] = [];
      for (let k = 0; k + 1 < conns.length; k++) {
        const closed = conns[k]!.closedAt;
        if (closed !== undefined) gaps.push(conns[k + 1]!.upgradeAt - closed);
      }
      const window = h.since();
      h.fact('variant', variant);
      h.fact('streams', conns.length);
      h.fact('gapsMs', gaps);
      h.fact('windowMs', window);
      h.fact('streamsPerMinuteInWindow', Math.round((conns.length * 60_000) / window));
      h.fact('stateAfter', stt.state);
      // The stream opened last first hears again the 2 s its predecessor carried (replaySeconds),
      // then the audio pushed during the backoff: stop() waits for both at twice real time.
      await h.stop(stt, 5000);
    },
  },
  import.meta.url,
);
