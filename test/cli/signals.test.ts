// Signals, on the built command as a child process: SIGINT stops gracefully (finals so far, the
// summary) within its grace period and exits 130; SIGTERM does the same within a few seconds and
// exits 143; a second signal ends the process at once; a signal during a connect that never gets
// an answer (a server that accepts TCP and says nothing) ends it promptly. The signal-handling
// logic itself (which signal, which exit code, the backstop) in-process with a fake host.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { BACKSTOP_MS, GRACE_MS, Interruption, SIGNAL_EXIT_CODE, watchSignals } from '../../dist/cli/signals.js';
import type { SignalHost, StopSignal } from '../../dist/cli/signals.js';
import type { Emulator } from '../../dist/emulator/index.js';
import { cleanEnv, lines, SAMPLE, SCRIPT_FILE, signalAndWait, startCli, TRANSCRIPT } from '../helpers/cli-run.ts';
import { withEmulator } from '../helpers/emulator-client.ts';

/** A TCP server that accepts connections and never says a word (a broken load balancer). */
async function silentServer(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => {
    sockets.push(s);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => sockets.length,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const keys = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'not-a-real-secret' };

/** The emulator in this process, with its credentials in the child's environment. */
const withEmulatorEnv = (fn: (emu: Emulator, env: NodeJS.ProcessEnv) => Promise<void>): Promise<void> =>
  withEmulator({ script: TRANSCRIPT }, (emu) =>
    fn(
      emu,
      cleanEnv({
        AWS_ACCESS_KEY_ID: emu.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: emu.credentials.secretAccessKey,
      }),
    ),
  );

// ---- the logic, in-process -----------------------------------------------------------------------

class FakeHost implements SignalHost {
  handlers = new Map<StopSignal, (s: StopSignal) => void>();
  exits: number[] = [];
  on(signal: StopSignal, fn: (s: StopSignal) => void): void {
    this.handlers.set(signal, fn);
  }
  off(signal: StopSignal): void {
    this.handlers.delete(signal);
  }
  exit(code: number): void {
    this.exits.push(code);
  }
  send(signal: StopSignal): void {
    this.handlers.get(signal)?.(signal);
  }
}

test('signals: the first one asks for a stop, a second of either kind saves and exits with its own code', () => {
  assert.equal(SIGNAL_EXIT_CODE, { SIGINT: 130, SIGTERM: 143 });
  assert.ok(GRACE_MS.SIGTERM <= 5000 && GRACE_MS.SIGINT <= 10_000, 'bounded grace periods');
  for (const [first, second] of [
    ['SIGINT', 'SIGTERM'],
    ['SIGTERM', 'SIGINT'],
    ['SIGINT', 'SIGINT'],
  ] as const) {
    const host = new FakeHost();
    const events: string[] = [];
    const off = watchSignals({ stop: (s) => events.push(`stop ${s}`), abort: () => events.push('abort') }, host);
    host.send(first);
    assert.equal(events, [`stop ${first}`]);
    assert.equal(host.exits, []);
    host.send(second);
    assert.equal(events, [`stop ${first}`, 'abort']);
    assert.equal(host.exits, [SIGNAL_EXIT_CODE[second]]);
    off();
    assert.is(host.handlers.size, 0, 'unsubscribed');
  }
});

test("signals: a run stuck past its grace period is ended anyway (saved, then the first signal's code)", async () => {
  const host = new FakeHost();
  const events: string[] = [];
  const off = watchSignals({ stop: () => events.push('stop'), abort: () => events.push('abort') }, host);
  host.send('SIGTERM');
  await new Promise((r) => setTimeout(r, GRACE_MS.SIGTERM + BACKSTOP_MS - 300));
  assert.equal(host.exits, [], 'not before the grace period and the backstop');
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(events, ['stop', 'abort']);
  assert.equal(host.exits, [143]);
  off();
  // A run that ended in time leaves no timer behind: unsubscribing clears the backstop.
  const quiet = new FakeHost();
  const off2 = watchSignals({ stop: () => {}, abort: () => {} }, quiet);
  quiet.send('SIGTERM');
  off2();
  await new Promise((r) => setTimeout(r, GRACE_MS.SIGTERM + BACKSTOP_MS + 200));
  assert.equal(quiet.exits, []);
});

test('signals: the interruption settles at once, its grace period after GRACE_MS', async () => {
  const i = new Interruption();
  let graceOver = false;
  void i.graceOver.then(() => (graceOver = true));
  i.trigger('SIGTERM');
  i.trigger('SIGINT'); // the first one counts
  await i.happened;
  assert.is(i.signal, 'SIGTERM');
  await new Promise((r) => setTimeout(r, GRACE_MS.SIGTERM - 500));
  assert.is(graceOver, false);
  await new Promise((r) => setTimeout(r, 1000));
  assert.is(graceOver, true);
  i.dispose();
});

// ---- the command ---------------------------------------------------------------------------------

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  test(`a ${signal} while the connect hangs (TCP accepted, no answer) ends the command at once (${code})`, async () => {
    const server = await silentServer();
    try {
      const r = startCli([SAMPLE, '--endpoint', `ws://127.0.0.1:${server.port}`], { env: cleanEnv(keys) });
      await until(() => server.connections() > 0, 10_000, 'the connection');
      await new Promise((res) => setTimeout(res, 300)); // the upgrade request is out and unanswered
      const { run, ms } = await signalAndWait(r, signal);
      assert.is(run.code, code, run.stderr);
      assert.ok(ms < 1500, `exited ${Math.round(ms)} ms after the signal`);
      assert.is(run.stdout, '');
      assert.equal(lines(run.stderr), [
        `transcribe-stream: ${signal}: stopped while connecting to ws://127.0.0.1:${server.port}; nothing was ` +
          `transcribed`,
      ]);
    } finally {
      await server.close();
    }
  });
}

test('SIGINT mid-stream: the finals so far, the summary, exit 130', async () => {
  const r = startCli([SAMPLE, '--emulator']);
  await r.waitStdout(/\n/);
  const { run, ms } = await signalAndWait(r, 'SIGINT');
  assert.is(run.code, 130, run.stderr);
  assert.ok(ms < GRACE_MS.SIGINT, `${Math.round(ms)} ms`);
  assert.is(lines(run.stdout)[0], TRANSCRIPT[0]);
  assert.match(run.stderr, /^summary: \d utterances?/m);
});

test('SIGTERM mid-stream: the finals so far and the summary within a few seconds, exit 143', async () => {
  const r = startCli([SAMPLE, '--emulator', '--json']);
  await r.waitStdout(/"type":"transcription"/);
  const { run, ms } = await signalAndWait(r, 'SIGTERM');
  assert.is(run.code, 143, run.stderr);
  assert.ok(ms < GRACE_MS.SIGTERM, `${Math.round(ms)} ms`);
  const objects = lines(run.stdout).map((l) => JSON.parse(l) as { type: string; text?: string });
  assert.is(objects.find((o) => o.type === 'transcription')?.text, TRANSCRIPT[0]);
  assert.is(objects[objects.length - 1]!.type, 'summary');
});

test('SIGTERM while the end of stream goes unanswered: stopped after the grace period, summary, exit 143', async () => {
  await withEmulatorEnv(async (emu, env) => {
    const r = startCli([SAMPLE, '--endpoint', emu.endpoint], { env });
    await r.waitStdout(/\n/);
    // From now on the server reads nothing: the end of stream is never answered.
    emu.fault({ type: 'stop-reading', target: 'current' });
    const { run, ms } = await signalAndWait(r, 'SIGTERM');
    assert.is(run.code, 143, run.stderr);
    assert.ok(ms >= GRACE_MS.SIGTERM - 100 && ms < GRACE_MS.SIGTERM + 1500, `${Math.round(ms)} ms`);
    assert.match(
      run.stderr,
      /^transcribe-stream: SIGTERM: no end of stream within 3 s; stopped without the last results$/m,
    );
    assert.match(run.stderr, /^summary: /m);
    assert.is(lines(run.stdout)[0], TRANSCRIPT[0]);
  });
});

test("a second signal during the graceful stop ends the command at once (with the second signal's code)", async () => {
  await withEmulatorEnv(async (emu, env) => {
    const r = startCli([SAMPLE, '--endpoint', emu.endpoint], { env });
    await r.waitStdout(/\n/);
    emu.fault({ type: 'stop-reading', target: 'current' });
    r.child.kill('SIGINT');
    await new Promise((res) => setTimeout(res, 500));
    assert.is(r.child.exitCode, null, 'still stopping after the first signal');
    const { run, ms } = await signalAndWait(r, 'SIGTERM');
    assert.is(run.code, 143, run.stderr);
    assert.ok(ms < 1000, `${Math.round(ms)} ms after the second signal`);
    assert.is(lines(run.stdout)[0], TRANSCRIPT[0]);
  });
});

test('SIGINT while waiting on an idle stdin still ends the run cleanly (exit 130)', async () => {
  // 1.3 s of the sample (the first sentence and its pause), then stdin stays open and silent.
  const file = readFileSync(SAMPLE);
  const head = file.subarray(44, 44 + Math.round(1.3 * 48000) * 4);
  const r = startCli(['-', '--rate', '48000', '--channels', '2', '--emulator', '--script', SCRIPT_FILE], {
    stdin: head,
    keepStdin: true,
  });
  await r.waitStdout(/\n/);
  // The first final is out; by 1 s later the 1.3 s of audio is sent and the read is parked.
  await new Promise((res) => setTimeout(res, 1000));
  const { run } = await signalAndWait(r, 'SIGINT');
  r.child.stdin!.destroy();
  assert.is(run.code, 130, run.stderr);
  assert.equal(lines(run.stdout), [TRANSCRIPT[0]!]);
  assert.match(run.stderr, /^summary: 1 utterance, 2 words; 1\.3 s of audio/m);
});

test.run();
