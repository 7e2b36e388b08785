// Memory after hostile runs: the scenarios that stress memory most run in this one process, round
// after round (crashes are caught by the harness's process handlers, as in the suite), and the
// heap, RSS and ArrayBuffer memory are taken after full collections: before, after each round
// (every stopped service still referenced, as an application that keeps one per call would),
// then with the services dropped. Growth with the services kept is what a stopped service
// retains; growth after dropping them is what the library keeps for good.
// Usage: node --expose-gc bench/hostile-memory.ts [--rounds 5]
import drain from '../test/hostile/drain-failure.ts';
import echo from '../test/hostile/echo.ts';
import exceptionNoClose from '../test/hostile/exception-no-close.ts';
import garbage from '../test/hostile/garbage-frame.ts';
import { runScenario } from '../test/hostile/harness.ts';
import type { Harness, Scenario } from '../test/hostile/harness.ts';
import hugePush from '../test/hostile/huge-push-audio.ts';
import sanitise from '../test/hostile/sanitise.ts';
import shape from '../test/hostile/shape.ts';
import uniqueChannels from '../test/hostile/unique-channel-ids.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with node --expose-gc');
  process.exit(2);
}

const i = process.argv.indexOf('--rounds');
const rounds = i >= 0 ? Number(process.argv[i + 1]) : 5;

const RUNS: [Scenario, string[]][] = [
  [uniqueChannels, []],
  [sanitise, ['exception-5mb']],
  [sanitise, ['handshake-body-5mb']],
  [hugePush, []],
  [garbage, []],
  [shape, ['results-null']],
  [shape, ['items-not-iterable']],
  [exceptionNoClose, []],
  [drain, ['exception']],
  [echo, ['exception-message']],
];

const MB = 2 ** 20;
function memory(): { heapMB: number; rssMB: number; arrayBuffersMB: number } {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return {
    heapMB: +(m.heapUsed / MB).toFixed(1),
    rssMB: +(m.rss / MB).toFixed(1),
    arrayBuffersMB: +(m.arrayBuffers / MB).toFixed(1),
  };
}

// Printing from the library and the harness is not what is measured.
const quiet = (): void => undefined;
console.warn = quiet;
console.error = quiet;

const rows: { after: string; heapMB: number; rssMB: number; arrayBuffersMB: number; crashes: number }[] = [];
rows.push({ after: 'baseline', ...memory(), crashes: 0 });
const started = performance.now();
// The harnesses hold their (stopped) services; their reports are scanned and trimmed by finish().
let kept: Harness[] = [];
/** Round 1: heap each scenario's stopped service still holds. */
const perScenario: { scenario: string; retainedHeapMB: number }[] = [];
for (let r = 1; r <= rounds; r++) {
  let crashes = 0;
  for (const [def, args] of RUNS) {
    const before = r === 1 ? memory().heapMB : 0;
    const h = await runScenario(def, args);
    h.finish(false);
    crashes += h.report.uncaught.length + h.report.unhandled.length;
    kept.push(h);
    if (r === 1) perScenario.push({ scenario: h.name, retainedHeapMB: +(memory().heapMB - before).toFixed(1) });
  }
  rows.push({ after: `round ${r}, services kept`, ...memory(), crashes });
}
await new Promise((r) => setTimeout(r, 2000));
rows.push({ after: 'idle 2 s, services kept', ...memory(), crashes: 0 });
const keptCount = kept.length;
kept = [];
rows.push({ after: 'services dropped', ...memory(), crashes: 0 });
console.log(
  `${RUNS.length} scenarios per round, ${rounds} rounds, ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
console.table(perScenario);
console.table(rows);
const base = rows[0]!;
const keptRow = rows[rows.length - 2]!;
const dropped = rows[rows.length - 1]!;
console.log(
  JSON.stringify({
    bench: 'hostile-memory',
    rounds,
    scenariosPerRound: RUNS.length,
    stoppedServicesKept: keptCount,
    heapMB: { baseline: base.heapMB, servicesKept: keptRow.heapMB, servicesDropped: dropped.heapMB },
    rssMB: { baseline: base.rssMB, servicesKept: keptRow.rssMB, servicesDropped: dropped.rssMB },
    heapPerStoppedServiceKB: Math.round(((keptRow.heapMB - dropped.heapMB) * 1024) / keptCount),
  }),
);
process.exit(0);
