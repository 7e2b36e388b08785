// The short soak that CI runs (npm run soak is the 10-minute version): concurrent real-time
// streams to an emulator in another process, a fault every few seconds, no byte lost.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { soak } from '../../bench/soak.ts';

test('8 streams, 20 s, a fault every 2.5–7.5 s (seeded): no lost audio, unhandled rejection, fatal error', async () => {
  const lines: string[] = [];
  const r = await soak({
    streams: 8,
    seconds: 20,
    faultEverySeconds: 5,
    warmupSeconds: 3,
    seed: 20261125,
    log: (l) => lines.push(l),
  });
  for (const l of lines) if (/gave up|produced|seed/.test(l)) console.log(`note: ${l}`);
  console.log(
    `note: soak smoke: ${r.faults} faults, ${r.reconnects} reconnects, ${r.finals} finals, TTFS p50 ` +
      `${r.ttfsP50?.toFixed(3)} s`,
  );
  assert.ok(r.faults >= 3, `faults injected: ${r.faults}`);
  assert.ok(r.reconnects >= 3, `reconnects: ${r.reconnects}`);
  assert.is(r.lostStreams, 0, 'every stream: PCM produced == PCM received (bytes and CRC-32)');
  assert.is(r.droppedSeconds, 0);
  assert.is(r.unhandledRejections, 0);
  assert.is(r.fatalErrors, 0);
  assert.ok(r.finals > 0);
});

test.run();
