// The command's dispatch in-process (cli/main.ts): --version from package.json, --help, and every
// failure as one line on stderr with its exit code. (Spawned end to end: cli.test.ts.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { main } from '../../dist/cli/main.js';
import type { RunIo } from '../../dist/cli/transcribe.js';
import { USAGE } from '../../dist/cli/usage.js';

class Sink {
  text = '';
  readonly isTTY = false;
  readonly columns = undefined;
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

function io(): RunIo & { out: Sink; err: Sink } {
  return {
    out: new Sink(),
    err: new Sink(),
    stdin: (async function* () {})(),
    env: {},
    onInterrupt: () => () => {},
  };
}

test('--version prints the version package.json declares; --help the usage', async () => {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  const v = io();
  assert.is(await main(['--version'], v), 0);
  assert.is(v.out.text, `${version}\n`);
  assert.is(v.err.text, '');
  const h = io();
  assert.is(await main(['help'], h), 0);
  assert.is(h.out.text, `${USAGE}\n`);
});

test('a usage mistake and a missing file: one line each, exit 2', async () => {
  const a = io();
  assert.is(await main(['x.wav', '--jsn'], a), 2);
  assert.is(a.err.text, 'transcribe-stream: unknown option --jsn; did you mean --json? (see --help)\n');
  const b = io();
  assert.is(await main(['/nonexistent/speech.wav', '--emulator'], b), 2);
  assert.is(b.err.text, 'transcribe-stream: /nonexistent/speech.wav: no such file\n');
  assert.is(a.out.text + b.out.text, '');
});

test('`emulator` on a port already taken: what to do, in one line, exit 2 (the port is a usage choice)', async () => {
  const taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
  const { port } = taken.address() as AddressInfo;
  try {
    const e = io();
    assert.is(await main(['emulator', '--port', String(port)], e), 2);
    assert.is(
      e.err.text,
      `transcribe-stream: port: ${port} on 127.0.0.1 is already in use: stop whatever listens there, pick another ` +
        `port, or pass port: 0 for any free one\n`,
    );
  } finally {
    taken.close();
  }
});

test.run();
