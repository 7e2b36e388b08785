// The emulator's own inputs: options (bad ones fail before listening, naming the option), a port
// already in use, generated credentials, close(), and the CLI entry.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { audioEvent, endOfStream, OptionError, utf8Decode } from '../../dist/core/index.js';
import { runEmulatorCli, speechLikePcm, startEmulator } from '../../dist/emulator/index.js';
import type { Emulator, EmulatorOptions } from '../../dist/emulator/index.js';
import { openStream, streamUrl } from '../helpers/emulator-client.ts';
import { upgrade } from '../helpers/raw-upgrade.ts';

async function rejectsWith(p: Promise<unknown>, option: string, pattern?: RegExp): Promise<void> {
  try {
    const value = await p;
    if (value && typeof (value as Emulator).close === 'function') await (value as Emulator).close();
    assert.unreachable(`expected an OptionError for ${option}`);
  } catch (err) {
    assert.instance(err, OptionError, String(err));
    assert.is((err as OptionError).option, option, (err as Error).message);
    if (pattern) assert.match((err as Error).message, pattern);
  }
}

async function open(emu: Emulator): Promise<{ ws: WebSocket; closed: Promise<number>; finals: string[] }> {
  const finals: string[] = [];
  const { ws, closed } = await openStream(streamUrl(emu), (m) => {
    const final = /"IsPartial":false,"Alternatives":\[\{"Transcript":"([^"]*)"/.exec(utf8Decode(m.body));
    if (final) finals.push(final[1]!);
  });
  return { ws, closed: closed.then((c) => c.code), finals };
}

const o = suite('emulator options');

o('bad options are OptionErrors naming the option, before anything listens', async () => {
  const cases: [unknown, string][] = [
    [{ port: -1 }, 'port'],
    [{ port: 70000 }, 'port'],
    [{ port: 1.5 }, 'port'],
    [{ host: '' }, 'host'],
    [{ idleTimeoutMs: 0 }, 'idleTimeoutMs'],
    [{ maxDurationMs: Number.NaN }, 'maxDurationMs'],
    [{ maxDurationMs: 2 ** 32 }, 'maxDurationMs'],
    [{ clockSkewMs: 'soon' }, 'clockSkewMs'],
    [{ credentials: { accessKeyId: '', secretAccessKey: 'x' } }, 'credentials.accessKeyId'],
    [{ credentials: { accessKeyId: 'AKIA', secretAccessKey: 'x', sessionToken: '' } }, 'credentials.sessionToken'],
    [{ script: 'Hello.' }, 'script'],
    [{ script: ['ok', 42] }, 'script'],
    [{ script: [{ text: 'x', speaker: 1 }] }, 'script'],
    [{ recognizer: 'scripted' }, 'recognizer'],
    [{ vad: { thresholdDbfs: 3 } }, 'vad.thresholdDbfs'],
    [{ vad: { frameMs: 0 } }, 'vad.frameMs'],
    [{ vad: { loudness: 1 } }, 'vad.loudness'],
    [{ region: 'mars-1' }, 'region'],
    [{ idleTimeout: 5 }, 'idleTimeout'],
  ];
  for (const [opts, option] of cases) await rejectsWith(startEmulator(opts as EmulatorOptions), option);
});

o('a port in use is a clear error; a host that is not local too', async () => {
  const first = await startEmulator();
  try {
    await rejectsWith(
      startEmulator({ port: first.port }),
      'port',
      new RegExp(`${first.port} on 127\\.0\\.0\\.1 is already in use`),
    );
  } finally {
    await first.close();
  }
  await rejectsWith(startEmulator({ host: '203.0.113.7' }), 'host', /not an address of this machine/);
});

o('generated credentials look like AWS ones and differ per emulator; given ones are copied', async () => {
  const a = await startEmulator();
  const b = await startEmulator();
  const given = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
  const c = await startEmulator({ credentials: given });
  try {
    assert.match(a.credentials.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.is(a.credentials.secretAccessKey.length, 40);
    assert.is.not(a.credentials.accessKeyId, b.credentials.accessKeyId);
    assert.is.not(a.credentials.secretAccessKey, b.credentials.secretAccessKey);
    assert.equal(c.credentials, given);
    given.secretAccessKey = 'changed later';
    assert.is.not(c.credentials.secretAccessKey, 'changed later');
    assert.is(a.endpoint, `ws://127.0.0.1:${a.port}`);
    assert.ok(a.port > 0 && a.port !== b.port);
  } finally {
    await Promise.all([a.close(), b.close(), c.close()]);
  }
});

o('a script function that throws refuses the handshake with 500 InternalFailureException', async () => {
  const emu = await startEmulator({
    script: () => {
      throw new Error('no script today');
    },
  });
  try {
    const reply = await upgrade(streamUrl(emu));
    assert.equal([reply.status, reply.headers['x-amzn-errortype']], [500, 'InternalFailureException']);
    assert.match(reply.body, /no script today/);
    assert.is(emu.sessions.length, 0);
  } finally {
    await emu.close();
  }
});

o('close() ends open streams with 1001, stops listening, and can be called twice', async () => {
  const emu = await startEmulator();
  const c = await open(emu);
  await Promise.all([emu.close(), emu.close()]);
  assert.is(await c.closed, 1001);
  assert.is(emu.sessions[0]!.closeCode, 1001);
  await open(emu).then(
    () => assert.unreachable('nothing listens any more'),
    (err: Error) => assert.is(err.message, 'handshake refused'),
  );
});

o.run();

const cli = suite('emulator CLI');

cli('starts with a script file, prints endpoint and credentials, and serves the script', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-cli-'));
  const file = join(dir, 'script.txt');
  writeFileSync(file, '# comments and blank lines are skipped\n\nFrom the script file.\n');
  const lines: string[] = [];
  const emu = await runEmulatorCli(
    ['emulator', '--port', '0', '--script', file, '--idle-timeout-ms=2000', '--final-delay-ms', '150'],
    {
      out: (l) => lines.push(l),
      err: () => {},
      handleSignals: false,
    },
  );
  assert.ok(emu);
  try {
    const text = lines.join('\n');
    assert.ok(text.includes(emu!.endpoint), text);
    assert.ok(text.includes(emu!.credentials.accessKeyId));
    assert.ok(text.includes(emu!.credentials.secretAccessKey));
    const c = await open(emu!);
    const session = emu!.sessions[0]!;
    const sent = Date.now();
    c.ws.send(audioEvent(speechLikePcm([{ speechMs: 400 }])) as Uint8Array<ArrayBuffer>);
    c.ws.send(endOfStream() as Uint8Array<ArrayBuffer>);
    assert.is(await c.closed, 1000);
    assert.ok(Date.now() - sent >= 140, '--final-delay-ms held the final');
    assert.equal(c.finals, ['From the script file.']);
    // A standalone emulator keeps no recordings: it may run for days.
    await session.closed;
    assert.equal(emu!.sessions, []);
    assert.equal(
      [session.audioRetained, session.eventsRetained, session.eventCount],
      [false, false, 3],
      'counted: two partials and the final',
    );
  } finally {
    await emu!.close();
  }
});

cli('--help prints usage; bad arguments are OptionErrors naming the flag', async () => {
  const lines: string[] = [];
  assert.is(
    await runEmulatorCli(['--help'], { out: (l) => lines.push(l), err: () => {}, handleSignals: false }),
    undefined,
  );
  assert.match(lines.join('\n'), /Usage: transcribe-stream emulator/);
  const quiet = { out: () => {}, err: () => {}, handleSignals: false };
  await rejectsWith(runEmulatorCli(['--bogus'], quiet), '--bogus');
  await rejectsWith(runEmulatorCli(['--port', 'abc'], quiet), '--port');
  await rejectsWith(runEmulatorCli(['--port'], quiet), '--port', /needs a value/);
  await rejectsWith(runEmulatorCli(['--script', '/nonexistent/script.txt'], quiet), '--script', /ENOENT/);
  await rejectsWith(runEmulatorCli(['--access-key-id', 'AKIAX'], quiet), '--secret-access-key');
  await rejectsWith(runEmulatorCli(['--port', '99999'], quiet), 'port');
});

cli.run();
