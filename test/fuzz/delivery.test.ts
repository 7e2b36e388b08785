// Fuzz: result delivery through AWSTranscribeSTTService. Sessions against a fake server (fake clock,
// WHATWG close rules) that sends valid results, TranscriptEvent mutants, events of other types,
// exceptions with any Message, undecodable bytes and closes, while the application pushes audio.
// Invariants after every step: nothing escapes a socket callback, a timer or the process; every
// frame is well formed (finite times, typed error with a code, capped and clean messages, no
// secret); valid finals are delivered even after garbage; exceptions and undecodable frames close
// the stream (code 1000) and the service reconnects; wrong-shaped events are skipped, reported at
// most once per stream; unknown events are ignored; pushed audio keeps flowing; stop() settles and
// leaves nothing running. Plus: the interim map stays bounded. Case count: FUZZ_CASES / 25.
import vm from 'node:vm';
import v8 from 'node:v8';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AWSTranscribeSTTService, encodeMessage } from '../../dist/core/index.js';
import { FakeServer } from '../helpers/fake-socket.ts';
import { caseNumbers, caseRng, fuzzConfig, note } from './config.ts';
import type { FuzzConfig } from './config.ts';
import { FakeClock } from './fake-clock.ts';
import { Findings } from './findings.ts';
import { clone, shrinkJson, toJsonText } from './json.ts';
import { ProcessGuard } from './process-guard.ts';
import { mixSeed } from './rng.ts';
import { KEY, Session } from './session.ts';
import type { SessionOutcome } from './session.ts';
import { describeStep, generateSteps } from './session-steps.ts';
import type { Kind, Step } from './session-steps.ts';
import { eventOf, validResult } from './transcripts.ts';

const guard = new ProcessGuard().install();

function run(steps: readonly Step[], seed: number): Promise<SessionOutcome> {
  return new Session(steps, seed, guard).run();
}

type SendStep = Extract<Step, { t: 'send' }>;

/** Smaller variants of one step: fewer payloads, no cuts, no server close. */
function* smallerStep(s: Step): Generator<Step> {
  if (s.t !== 'send') return;
  if (s.payloads.length > 1)
    for (let i = 0; i < s.payloads.length; i++) yield { ...s, payloads: s.payloads.filter((_, j) => j !== i) };
  if (s.cuts.length) yield { ...s, cuts: [] };
  if (s.serverClose) yield { ...s, serverClose: undefined };
}

/** Greedy shrink: fewer steps, then simpler steps, then the smallest JSON in the failing step. */
async function shrink(
  steps: Step[],
  seed: number,
  kind: string,
  budget: number,
): Promise<{ steps: Step[]; step: number }> {
  let tries = 0;
  const fails = async (candidate: Step[]): Promise<boolean> => {
    tries++;
    return (await run(candidate, seed)).violation?.kind === kind;
  };
  let best = steps;
  const first = (await run(best, seed)).violation;
  if (first && first.step < best.length) best = best.slice(0, first.step + 1);
  for (let progress = true; progress && tries < budget; ) {
    progress = false;
    for (let i = best.length - 1; i >= 0 && tries < budget; i--) {
      const fewer = best.filter((_, j) => j !== i);
      if (fewer.length && (await fails(fewer))) {
        best = fewer;
        progress = true;
        continue;
      }
      for (const smaller of smallerStep(best[i]!)) {
        const candidate = best.map((s, j) => (j === i ? smaller : s));
        if (await fails(candidate)) {
          best = candidate;
          progress = true;
          break;
        }
      }
    }
  }
  const at = (await run(best, seed)).violation?.step ?? best.length - 1;
  const failing = best[at];
  if (failing?.t === 'send') {
    for (let p = 0; p < failing.payloads.length; p++) {
      const payload = failing.payloads[p]!;
      if (!('doc' in payload)) continue;
      const withDoc = (doc: typeof payload.doc): Step[] =>
        best.map((s, j) =>
          j === at
            ? ({
                ...(s as SendStep),
                payloads: (s as SendStep).payloads.map((x, k) => (k === p ? { ...x, doc } : x)),
              } as Step)
            : s,
        );
      // The document gets a budget of its own: dropping steps may have used the first.
      const doc = await shrinkJson(clone(payload.doc), (d) => fails(withDoc(d)), budget);
      best = withDoc(doc);
    }
  }
  return { steps: best, step: at };
}

function describeSteps(steps: Step[], failing: number): string {
  const lines = steps.map((s, i) => `${i === failing ? '->' : '  '} ${i + 1}. ${describeStep(s)}`);
  if (failing >= steps.length) lines.push('-> (while stopping)');
  return lines.join('\n');
}

/**
 * Run the sessions of one test. `salt` makes each test's cases differ while the printed replay
 * command keeps the run's own seed (FUZZ_SEED=<seed> FUZZ_CASE=<n> replays case n of every test).
 */
async function fuzzSessions(
  label: string,
  config: FuzzConfig,
  salt: number,
  mix?: [number, Kind][],
  prefix: Step[] = [],
): Promise<void> {
  const findings = new Findings(config);
  const started = Date.now();
  const totals = { sessions: 0, steps: 0, messages: 0, frames: 0, errors: 0, streams: 0 };
  for (const n of caseNumbers(config)) {
    const r = caseRng(mixSeed(config.seed, salt), n);
    const steps = [...prefix, ...(mix ? generateSteps(r, mix) : generateSteps(r))];
    const seed = mixSeed(mixSeed(config.seed, salt), n ^ 0x7357);
    const { violation, stats } = await run(steps, seed);
    totals.sessions++;
    totals.steps += steps.length;
    totals.messages += stats.messages;
    totals.frames += stats.frames;
    totals.errors += stats.errors;
    totals.streams += stats.streams;
    if (!violation) continue;
    if (findings.has(violation.kind)) {
      findings.add({ kind: violation.kind, caseNumber: n, input: '', detail: violation.detail });
      continue;
    }
    const small = await shrink(steps, seed, violation.kind, config.long ? 1500 : 100);
    const again = (await run(small.steps, seed)).violation;
    findings.add({
      kind: violation.kind,
      caseNumber: n,
      input: describeSteps(small.steps, small.step),
      detail: (again?.kind === violation.kind ? again.detail : violation.detail) || '(see kind)',
    });
  }
  const t = totals;
  note(
    config,
    `${label}: ${t.sessions} sessions, ${t.steps} steps, ${t.messages} messages decoded, ${t.frames} frames ` +
      `(${t.errors} errors), ${t.streams} streams, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  assert.is(findings.size, 0, `${label}: ${findings.report()}`);
}

test('sessions: valid results, mutants, exceptions, bad bytes and closes, interleaved', async () => {
  await fuzzSessions('mixed', fuzzConfig('fuzz-delivery', 100, 25), 0);
});

test('sessions after a reconnect with audio sent (result times are shifted): valid results and mutants', async () => {
  const config = fuzzConfig('fuzz-delivery', 30, 25);
  const mix: [number, Kind][] = [
    [3, 'mutant'],
    [3, 'final'],
    [1, 'partial'],
    [1, 'audio'],
  ];
  const reconnect: Step[] = [
    { t: 'audio', frames: 3 },
    { t: 'close', code: 1001, reason: '' },
  ];
  await fuzzSessions('after a reconnect', config, 0x5417, mix, reconnect);
});

test('sessions: hostile bytes on the socket (never thrown out of events.message; the service reconnects)', async () => {
  const config = fuzzConfig('fuzz-delivery', 40, 25);
  const bytesOnly: [number, Kind][] = [
    [6, 'bytes'],
    [2, 'final'],
    [1, 'audio'],
  ];
  await fuzzSessions('hostile bytes', config, 0xb17e5, bytesOnly);
});

test('control: valid traffic only (results, audio, clean closes) passes every check', async () => {
  // Proof that the checks hold for a service doing its job: no invariant fires on valid traffic.
  const config = fuzzConfig('fuzz-delivery', 20, 25);
  const mix: [number, Kind][] = [
    [3, 'final'],
    [2, 'partial'],
    [2, 'audio'],
  ];
  const reconnect: Step[] = [
    { t: 'audio', frames: 2 },
    { t: 'close', code: 1011, reason: 'internal error' },
    { t: 'audio', frames: 1 },
  ];
  await fuzzSessions('control', config, 0xc0471, mix, reconnect);
});

test('interim map: partials with a new ChannelId each do not pile up, running or stopped', async () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const heap = (): number => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const clock = new FakeClock(1_750_000_000_000, (err) => assert.unreachable(`timer threw ${String(err)}`));
  const server = new FakeServer();
  const stt = new AWSTranscribeSTTService(
    { ...KEY, keepAliveMs: 0, logger: {} },
    { socketFactory: server.factory, now: clock.now, setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout },
  );
  let interims = 0;
  stt.on('interimTranscription', () => void interims++);
  await stt.start({ sampleRate: 16000 });
  const r = caseRng(1, 1);
  const before = heap();
  // Every byte goes through the service's UTF-8 decoder (a few MB/s): 12 MiB is enough to tell
  // "kept" (all of it) from "bounded" (ch_0, ch_1 and no channel: three texts at most).
  const count = process.env.FUZZ_CASES ? 200 : 48;
  const size = 256 * 1024;
  for (let i = 0; i < count; i++) {
    const res = validResult(r, { text: `${i} ${'w'.repeat(size)}`, partial: true });
    res.entries.push(['ChannelId', `ch_${i + 2}`]);
    const body = new Uint8Array(Buffer.from(toJsonText(eventOf([res])), 'utf8'));
    try {
      server.last.events.message(
        encodeMessage({
          headers: {
            ':message-type': { type: 'string', value: 'event' },
            ':event-type': { type: 'string', value: 'TranscriptEvent' },
          },
          body,
        }),
      );
    } catch (err) {
      assert.unreachable(`events.message threw ${String(err)}`);
    }
  }
  const running = heap() - before;
  const stopping = stt.stop();
  for (let i = 0; i < 100; i++) await clock.advance(100, () => new Promise((res) => setImmediate(res)));
  await stopping;
  const stopped = heap() - before;
  const mb = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;
  console.log(
    `note: fuzz-delivery: ${count} partials of ${size / 1024} KiB on unique ChannelIds (${interims} delivered): heap ` +
      `+${mb(running)} running, +${mb(stopped)} after stop()`,
  );
  const limit = 4 * 2 ** 20;
  assert.ok(
    running < limit && stopped < limit,
    `interim map unbounded: heap +${mb(running)} while running, +${mb(stopped)} after stop() (limit ${mb(limit)}; ` +
      `AWS sends ch_0/ch_1 only)`,
  );
  guard.take();
});

test.after(() => guard.uninstall());
test.run();
