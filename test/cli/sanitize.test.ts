// Text from the network reaches the terminal clean: no escape sequence, control character or
// bidirectional override from a transcript, an exception message or a close reason survives into
// stdout or stderr, on a terminal or not; --json stays valid JSON whose decoded strings carry no
// control character either; long messages are capped. Printable text in any script is unchanged.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Display, frameJson } from '../../dist/cli/display.js';
import { cleanMessage, cleanText, clip, MESSAGE_MAX, safeJson } from '../../dist/cli/sanitize.js';
import { TranscribeError } from '../../dist/adapters/node.js';
import type { TranscriptionFrame } from '../../dist/adapters/node.js';
import { startEmulator } from '../../dist/emulator/index.js';
import { cleanEnv, cli, lines, SAMPLE } from '../helpers/cli-run.ts';
import { transcriptionFrame } from '../helpers/transcription-frame.ts';

const tmp = mkdtempSync(join(tmpdir(), 'transcribe-stream-sanitize-'));

/** Anything a terminal would act on, or that reorders text. */
const UNSAFE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

const HOSTILE = [
  '\x1b[2J\x1b[H', // clear the screen, cursor home
  '\x1b]0;pwned\x07', // window title (OSC, BEL)
  '\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\', // hyperlink (OSC, ST)
  '\x1b]52;c;ZXZpbA==\x07', // clipboard write
  '\x1bP1$qm\x1b\\', // DCS request
  '\x9b31m', // C1 CSI
  '\x1b[31mred\x1b[0m',
  '\u202eevil\u202c', // right-to-left override
  'a\x00b\x07c\x7fd\x08e',
  'line\nbreak\r\n\ttab',
];

test('cleanText: escape sequences, controls and bidi overrides go, line breaks become spaces, text stays', () => {
  assert.is(cleanText('\x1b[31mred\x1b[0m text'), 'red text');
  assert.is(cleanText('\x1b]0;pwned\x07title'), 'title');
  assert.is(cleanText('\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\'), 'link');
  assert.is(cleanText('\x1bP1$qm\x1b\\after'), 'after');
  assert.is(cleanText('\x9b31mred'), 'red');
  assert.is(cleanText('\u202eevil\u202c'), 'evil');
  assert.is(cleanText('a\x00b\x07c\x7fd\x08e'), 'abcde');
  assert.is(cleanText('line\nbreak\r\n\ttab'), 'line break tab');
  assert.is(cleanText('unterminated \x1b]0;title to the end'), 'unterminated ');
  assert.is(cleanText('lone escape at the end\x1b'), 'lone escape at the end');
  for (const h of HOSTILE) assert.not.match(cleanText(`x${h}y`), UNSAFE, JSON.stringify(h));
  // Every script, emoji and the right-to-left marks pass unchanged.
  for (const ok of [
    'Grüße, señor – “quotes” …',
    '日本語のテキスト',
    'שלום עולם\u200f',
    'مرحبا\u061c',
    '👋🏽 emoji',
    'plain',
  ]) {
    assert.is(cleanText(ok), ok);
  }
});

test('clip and cleanMessage: capped with an ellipsis, never inside a surrogate pair', () => {
  assert.is(clip('abc', 3), 'abc');
  assert.is(clip('abcdef', 4), 'abc…');
  const emoji = 'aa👋👋👋';
  const cut = clip(emoji, 4);
  assert.ok(cut.length <= 4 && cut.endsWith('…'));
  assert.not.match(cut, /[\ud800-\udbff](?![\udc00-\udfff])/);
  const long = cleanMessage(`\x1b[2J${'x'.repeat(10_000)}`);
  assert.is(long.length, MESSAGE_MAX);
  assert.ok(long.endsWith('…'));
});

test('safeJson: valid JSON, no raw control character in it, none in what it decodes to', () => {
  const value = {
    text: HOSTILE.join(' '),
    nested: [{ Content: '\x1b[1mbold\u0085' }],
    message: `\x1b]0;t\x07${'m'.repeat(2000)}`,
  };
  const json = safeJson(value);
  assert.not.match(json, UNSAFE);
  const back = JSON.parse(json) as typeof value;
  assert.not.match(back.text, UNSAFE);
  assert.is(back.nested[0]!.Content, 'bold ');
  assert.is(back.message.length, MESSAGE_MAX);
});

class Sink {
  text = '';
  readonly isTTY: boolean;
  readonly columns = 200;
  constructor(isTTY: boolean) {
    this.isTTY = isTTY;
  }
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

const frame = (type: 'transcription' | 'interimTranscription', text: string): TranscriptionFrame =>
  transcriptionFrame(text, { partial: type !== 'transcription' });

test('display: interims and finals on a terminal and elsewhere, notes and JSON frames are clean', () => {
  const hostile = `Hello ${HOSTILE.join(' ')} there`;
  for (const tty of [true, false]) {
    const out = new Sink(tty);
    const err = new Sink(tty);
    const d = new Display({
      out,
      err,
      json: false,
      interimLines: true,
      progress: false,
      color: false,
      speakers: true,
      channels: true,
      languages: true,
    });
    d.frame(frame('interimTranscription', hostile));
    d.frame(frame('transcription', hostile));
    d.note(`transcribe-stream: warning: ${hostile}`);
    d.close();
    // The display's own control (clear line on a terminal) is the only escape left.
    const ours = out.text.replaceAll('\r\x1b[K', '');
    assert.not.match(ours, UNSAFE, `stdout, tty ${tty}: ${JSON.stringify(ours)}`);
    assert.not.match(err.text.replace(/\n/g, ''), UNSAFE);
    assert.match(ours, /Hello .*red.*there\n/);
  }
  const json = frameJson({
    type: 'error',
    fatal: true,
    timestamp: 't',
    error: new TranscribeError('BAD_REQUEST', `\x1b[2Jbad ${'x'.repeat(5000)}`),
  });
  assert.not.match(json, UNSAFE);
  assert.is((JSON.parse(json) as { error: { message: string } }).error.message.length, MESSAGE_MAX);
});

test('command: a hostile transcript is printed clean, as text and as --json', async () => {
  const script = join(tmp, 'hostile.txt');
  writeFileSync(
    script,
    ['Hello \x1b]0;pwned\x07there \x1b[31mred\x1b[0m.', 'Second \u202eevil\u202c line\x7f.', 'Third \x9b2J one.'].join(
      '\n',
    ),
  );
  const text = await cli([SAMPLE, '--emulator', '--fast', '--script', script]);
  assert.is(text.code, 0, text.stderr);
  assert.equal(lines(text.stdout), ['Hello there red.', 'Second evil line.', 'Third one.']);
  const json = await cli([SAMPLE, '--emulator', '--fast', '--script', script, '--json']);
  assert.is(json.code, 0, json.stderr);
  for (const line of lines(json.stdout)) {
    assert.not.match(line, UNSAFE);
    const walk = (v: unknown): void => {
      if (typeof v === 'string') assert.not.match(v, UNSAFE, v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(JSON.parse(line));
  }
});

test('command: hostile exception messages and close reasons reach stderr clean and capped', async () => {
  const emu = await startEmulator({ script: ['Hello there.', 'This is a live stream.', 'Goodbye for now.'] });
  try {
    const env = cleanEnv({
      AWS_ACCESS_KEY_ID: emu.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: emu.credentials.secretAccessKey,
    });
    // A retryable exception mid-stream (a warning, then a reconnect), a close with a hostile reason,
    // then a fatal one with a 20,000-character message (not hex: a long hex run is redacted as a signature).
    emu.fault({
      type: 'exception',
      exceptionType: 'InternalFailureException',
      message: `\x1b]0;pwned\x07\x1b[2Jinternal ${'\u202e'}oops`,
      afterMs: 600,
      target: 'next',
    });
    const run = cli([SAMPLE, '--endpoint', emu.endpoint], { env });
    await emu.nextSession();
    await new Promise((r) => setTimeout(r, 1500));
    emu.fault({ type: 'close', code: 4000, reason: '\x1b[5mblink\x1b[0m reason', target: 'current' });
    await new Promise((r) => setTimeout(r, 1000));
    emu.fault({
      type: 'exception',
      exceptionType: 'BadRequestException',
      message: `\x1b[2J${'Z'.repeat(20_000)}`,
      target: 'current',
    });
    const r = await run;
    assert.is(r.code, 1, r.stderr);
    for (const line of lines(r.stderr)) {
      assert.not.match(line, UNSAFE, JSON.stringify(line));
      assert.ok(line.length <= 1100, `${line.length} characters`);
    }
    assert.match(r.stderr, /internal oops/);
    assert.match(r.stderr, /Z{100}…/);
  } finally {
    await emu.close();
  }
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));

test.run();
