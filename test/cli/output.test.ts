// --output files (.srt, .vtt, .txt, .json) and --channel-identification: subtitle files valid by
// the W3C WebVTT parser and a strict SubRip reading, readable (two lines of 42 at most, cues of 7 s
// at most, sorted although two channels' results arrive out of order), labelled by speaker and
// channel when asked, carrying exactly the transcript; files saved on Ctrl-C and even on a second
// signal; every mistake found before anything connects (exit 2).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from '../../dist/cli/args.js';
import { cuesOf, timestamp, toSrt, toVtt, wrap } from '../../dist/cli/subtitles.js';
import { segmentsOf } from '../../dist/cli/segments.js';
import { TranscriptFiles } from '../../dist/cli/output-files.js';
import type { TranscriptionFrame, TranscriptItem } from '../../dist/adapters/node.js';
import { speechLikePcm, startEmulator } from '../../dist/emulator/index.js';
import type { AudioSegment } from '../../dist/emulator/index.js';
import { cleanEnv, cli, lines, SAMPLE, signalAndWait, startCli, TRANSCRIPT } from '../helpers/cli-run.ts';
import { assertReadable, cueText, parseSrt, parseVtt } from '../helpers/subtitle-check.ts';
import { joinRegExp } from '../helpers/regexp.ts';
import { transcriptionFrame } from '../helpers/transcription-frame.ts';
import { wavFile as wavBytes } from '../runtimes/wav.ts';

const tmp = mkdtempSync(join(tmpdir(), 'transcribe-stream-output-'));
const path = (name: string): string => join(tmp, name);
const read = (name: string): string => readFileSync(path(name), 'utf8');

/** `name`.wav of 16-bit `pcm`, with `name`.txt for the emulator's script when given; returns its path. */
function wavFile(name: string, pcm: Uint8Array, rate: number, channels: number, script?: string[]): string {
  const file = path(`${name}.wav`);
  writeFileSync(file, wavBytes(pcm, rate, channels));
  if (script) writeFileSync(path(`${name}.txt`), `${script.join('\n')}\n`);
  return file;
}

/** Channel 0 and channel 1 mixed: each list of segments speaks on its own channel. */
function stereoCall(name: string, left: AudioSegment[], right: AudioSegment[], script: string[]): string {
  const a = new Int16Array(
    speechLikePcm(
      left.map((s) => ('speechMs' in s ? { ...s, channels: [0] } : s)),
      { sampleRate: 16000, channels: 2 },
    ).buffer,
  );
  const b = new Int16Array(
    speechLikePcm(
      right.map((s) => ('speechMs' in s ? { ...s, channels: [1] } : s)),
      { sampleRate: 16000, channels: 2 },
    ).buffer,
  );
  const out = new Int16Array(Math.max(a.length, b.length));
  for (let i = 0; i < out.length; i++) out[i] = (a[i] ?? 0) + (b[i] ?? 0);
  return wavFile(name, new Uint8Array(out.buffer), 16000, 2, script);
}

// ---- cues, in-process ----------------------------------------------------------------------------

const item = (
  Content: string,
  StartTime: number,
  EndTime: number,
  Speaker?: string,
  Type: TranscriptItem['Type'] = 'pronunciation',
): TranscriptItem => ({
  Content,
  StartTime,
  EndTime,
  Type,
  ...(Speaker !== undefined ? { Speaker } : {}),
});

function final(items: TranscriptItem[], o: { channel?: string; text?: string } = {}): TranscriptionFrame {
  const words = items.map((i) => (i.Type === 'punctuation' ? i.Content : ` ${i.Content}`));
  return transcriptionFrame(o.text ?? words.join('').trim(), { items, ...(o.channel ? { channel: o.channel } : {}) });
}

test('arguments: --output repeats, its format comes from the extension (any case); --channel-identification', () => {
  const c = parseArgs([
    'call.wav',
    '--output',
    'a.SRT',
    '--output=b/c.vtt',
    '--output',
    'x.json',
    '--output',
    'notes.txt',
    '--channel-identification',
  ]);
  assert.ok(c.kind === 'transcribe');
  assert.equal(c.args.outputs, [
    { path: 'a.SRT', format: 'srt' },
    { path: 'b/c.vtt', format: 'vtt' },
    { path: 'x.json', format: 'json' },
    { path: 'notes.txt', format: 'txt' },
  ]);
  assert.is(c.args.channelIdentification, true);
  const plain = parseArgs(['a.wav']);
  assert.ok(plain.kind === 'transcribe');
  assert.equal(plain.args.outputs, []);
  assert.is(plain.args.channelIdentification, false);
});

test('timestamps: SubRip with a comma, WebVTT with a dot, hours past 99', () => {
  assert.is(timestamp(0, ','), '00:00:00,000');
  assert.is(timestamp(3_723_004, ','), '01:02:03,004');
  assert.is(timestamp(3_723_004, '.'), '01:02:03.004');
  assert.is(timestamp(360_000_000 + 59_999, '.'), '100:00:59.999');
});

test('segments: speaker runs, punctuation on its word, a result without items spread over its time', () => {
  const f = final(
    [
      item('Hi', 0, 0.4, '0'),
      item('.', 0.4, 0.4, undefined, 'punctuation'),
      item('Hello', 0.5, 0.9, '1'),
      item('there', 1, 1.3, '1'),
      item('?', 1.3, 1.3, undefined, 'punctuation'),
    ],
    { channel: 'ch_1' },
  );
  const s = segmentsOf(f);
  assert.equal(
    s.map((x) => [x.speaker, x.channel, x.text, x.start, x.end]),
    [
      ['0', 'ch_1', 'Hi.', 0, 0.4],
      ['1', 'ch_1', 'Hello there?', 0.5, 1.3],
    ],
  );
  const bare = segmentsOf({
    ...final([], { text: 'one two three four' }),
    result: {
      ResultId: 'r',
      StartTime: 2,
      EndTime: 4,
      IsPartial: false,
      Alternatives: [{ Transcript: 'one two three four', Items: [] }],
    },
  });
  assert.equal(
    bare[0]!.words.map((w) => [w.text, w.start, w.end]),
    [
      ['one', 2, 2.5],
      ['two', 2.5, 3],
      ['three', 3, 3.5],
      ['four', 3.5, 4],
    ],
  );
});

test('cues: a long result becomes readable cues (2 x 42, <= 7 s, breaks at pauses), in order, same words', () => {
  const words = (
    'This is a rather long utterance that goes on and on, with many words in it. It should be cut into several ' +
    'cues that a person can read comfortably while watching; no cue may be longer than two lines.'
  ).split(' ');
  let t = 0;
  const items = words.map((w, i) => {
    const start = t;
    t += 0.35 + (i === 20 ? 2 : 0); // a pause after the 21st word
    return item(w, start, start + 0.3, '0');
  });
  const segments = segmentsOf(final(items));
  const cues = cuesOf(segments, () => '[speaker 0] ');
  const srt = parseSrt(toSrt(cues));
  const vtt = parseVtt(toVtt(cues));
  assert.equal(
    srt.map((c) => [c.start, c.end, c.lines]),
    vtt.map((c) => [c.start, c.end, c.lines]),
  );
  assertReadable(srt);
  assert.is(cueText(srt), words.join(' '));
  assert.ok(srt.length >= 5, `${srt.length} cues`);
  assert.ok(srt.every((c) => c.lines[0]!.startsWith('[speaker 0] ')));
  // No cue spans the pause.
  const pauseAt = items[21]!.StartTime;
  assert.ok(
    srt.every((c) => !(c.start < pauseAt - 1 && c.end > pauseAt)),
    'a cue across the pause',
  );
  assert.equal(wrap('', [{ start: 0, end: 1, text: 'a'.repeat(50) }]), undefined);
});

test('cues: two channels out of order are sorted; a short cue is held a second unless the next comes sooner', () => {
  const late = final([item('Second', 2, 2.2), item('channel.', 2.2, 2.4)], { channel: 'ch_1' });
  const early = final([item('First', 0, 0.2), item('channel', 0.2, 0.4), item('speaks.', 0.4, 2.6)], {
    channel: 'ch_0',
  });
  const cues = cuesOf([...segmentsOf(late), ...segmentsOf(early)], (s) => `[channel ${s.channel!.slice(3)}] `);
  assert.equal(
    cues.map((c) => [c.start, c.end, c.lines]),
    [
      [0, 2600, ['[channel 0] First channel speaks.']],
      [2000, 3000, ['[channel 1] Second channel.']],
    ],
  );
  const vtt = toVtt(cues);
  assert.is(vtt.split('\n')[0], 'WEBVTT');
  parseVtt(vtt);
  assert.is(
    toVtt(cuesOf(segmentsOf(final([item('a<b', 0, 1), item('&', 1, 2)])), () => '')).split('\n')[3],
    'a&lt;b &amp;',
  );
});

test('files: the first result is saved at once, a burst within the next second together, and on saveNow', () => {
  const file = path('burst.txt');
  const files = TranscriptFiles.open([{ path: file, format: 'txt' }], {
    audio: 'x',
    labels: { speakers: false, channels: false, languages: false },
  });
  assert.is(readFileSync(file, 'utf8'), '', 'written empty before anything connects');
  files.add(final([item('One.', 0, 1)]));
  files.add(final([item('Two.', 1, 2)]));
  // The first save is due at once (a timer of 0 ms); the second result waits for it.
  assert.is(readFileSync(file, 'utf8'), '');
  files.saveNow(); // what a forced exit does
  assert.is(readFileSync(file, 'utf8'), 'One.\nTwo.\n');
  files.add(final([item('Three.', 2, 3)]));
  assert.equal(files.close(), []);
  assert.is(readFileSync(file, 'utf8'), 'One.\nTwo.\nThree.\n');
});

// ---- the command ---------------------------------------------------------------------------------

test('command: the sample to .srt, .vtt, .txt and .json at once: valid, readable, the transcript exactly', async () => {
  const r = await cli([
    SAMPLE,
    '--emulator',
    '--fast',
    '--output',
    path('s.srt'),
    `--output=${path('s.vtt')}`,
    '--output',
    path('s.txt'),
    '--output',
    path('s.json'),
  ]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(lines(r.stdout), TRANSCRIPT);
  for (const cues of [parseSrt(read('s.srt')), parseVtt(read('s.vtt'))]) {
    assertReadable(cues);
    assert.is(cueText(cues), TRANSCRIPT.join(' '));
    assert.is(cues.length, 3);
    assert.ok(cues[cues.length - 1]!.end <= 4.2 + 1e-9, 'within the audio');
  }
  assert.is(read('s.txt'), `${TRANSCRIPT.join('\n')}\n`);
  const doc = JSON.parse(read('s.json')) as {
    audio: string;
    segments: {
      start: number;
      end: number;
      text: string;
      language: string;
      words: { start: number; end: number; text: string; confidence?: number }[];
    }[];
  };
  assert.is(doc.audio, SAMPLE);
  assert.equal(
    doc.segments.map((s) => s.text),
    TRANSCRIPT,
  );
  for (const s of doc.segments) {
    assert.is(s.language, 'en-US');
    assert.is(s.words.map((w) => w.text).join(' '), s.text);
    assert.ok(
      s.words.every((w, i) => w.start <= w.end && (i === 0 || w.start >= s.words[i - 1]!.end) && w.confidence! > 0),
    );
  }
  assert.equal(
    readdirSync(tmp).filter((f) => f.endsWith('.tmp')),
    [],
    'no temporary file left',
  );
});

const CALL_SCRIPT = [
  '[speaker 0] Thank you for calling the support line of our company, my name is Alex and I will be helping you ' +
    'today with whatever you need.',
  '[speaker 1] Hi there.',
  '[speaker 1] I have a question about my bill.',
  '[speaker 0] Of course.',
];
// The agent (left) talks for 3 s while the caller (right) says "Hi there" at 1.0-2.0 s: the
// caller's final arrives first but starts later.
const call = (): string =>
  stereoCall(
    'call',
    [{ silenceMs: 200 }, { speechMs: 3000 }, { silenceMs: 2800 }, { speechMs: 600 }, { silenceMs: 700 }],
    [{ silenceMs: 1000 }, { speechMs: 1000 }, { silenceMs: 1900 }, { speechMs: 1200 }, { silenceMs: 2200 }],
    CALL_SCRIPT,
  );

test('channels + speaker labels on a stereo call: labelled, sorted by time, per channel in JSON', async () => {
  const file = call();
  const r = await cli([
    file,
    '--emulator',
    '--fast',
    '--channel-identification',
    '--speaker-labels',
    '--output',
    path('call.vtt'),
    '--output',
    path('call.srt'),
    '--output',
    path('call.json'),
    '--output',
    path('call-out.txt'),
  ]);
  assert.is(r.code, 0, r.stderr);
  // Printed as they arrive: the caller's short final before the agent's long one.
  assert.equal(
    lines(r.stdout).map((l) => l.slice(0, 23)),
    ['[channel 1] [speaker 1]', '[channel 0] [speaker 0]', '[channel 1] [speaker 1]', '[channel 0] [speaker 0]'],
  );
  for (const cues of [parseVtt(read('call.vtt')), parseSrt(read('call.srt'))]) {
    assertReadable(cues);
    assert.match(cues[0]!.lines[0]!, /^\[channel 0\] \[speaker 0\] Thank you/);
    assert.ok(cues.some((c) => c.lines[0] === '[channel 1] [speaker 1] Hi there.'));
    for (const c of cues) assert.match(c.lines[0]!, /^\[channel (0\] \[speaker 0|1\] \[speaker 1)\] /);
  }
  assert.equal(
    lines(read('call-out.txt')),
    CALL_SCRIPT.map((l, i) => `[channel ${i === 0 || i === 3 ? 0 : 1}] ${l}`),
  );
  const doc = JSON.parse(read('call.json')) as {
    segments: { start: number; channel: string; speaker: string; text: string }[];
  };
  assert.equal(
    doc.segments.map((s) => [s.channel, s.speaker]),
    [
      ['ch_0', '0'],
      ['ch_1', '1'],
      ['ch_1', '1'],
      ['ch_0', '0'],
    ],
  );
  assert.ok(doc.segments.every((s, i) => i === 0 || s.start >= doc.segments[i - 1]!.start));
});

test('command: --channel-identification needs stereo (exit 2, one line, before connecting)', async () => {
  const mono = wavFile('mono', speechLikePcm([{ speechMs: 500 }], { sampleRate: 16000 }), 16000, 1);
  const r = await cli([mono, '--channel-identification', '--output', path('never.srt')]);
  assert.is(r.code, 2);
  assert.equal(lines(r.stderr), [
    `transcribe-stream: --channel-identification needs stereo audio with one speaker per channel (a call recording); ` +
      `${mono} is mono`,
  ]);
  assert.ok(!existsSync(path('never.srt')));
  const raw = await cli(['-', '--rate', '16000', '--channel-identification'], { stdin: new Uint8Array(3200) });
  assert.is(raw.code, 2);
  assert.match(raw.stderr, /stdin is mono \(for raw PCM add --channels 2\)\n$/);
});

test('command: --output mistakes are found before anything connects (exit 2, one line)', async () => {
  const cases: [string[], RegExp][] = [
    [
      ['--output', path('x.doc')],
      joinRegExp(
        /--output .*x\.doc: the extension names the format: \.srt or \.vtt \(subtitles\), \.txt \(the /,
        /transcript\) or \.json/,
      ),
    ],
    [['--output', path('d.srt'), '--output', path('d.srt')], /d\.srt is given twice/],
    [['--output', path('no/such/dir/x.srt')], /--output .*x\.srt: cannot write it \(ENOENT: no such directory\)/],
    [['--output', `${tmp}/`], /the extension names the format/],
  ];
  for (const [args, pattern] of cases) {
    // No credentials and no emulator: reaching the network would fail differently (exit 1).
    const r = await cli([SAMPLE, ...args], { env: cleanEnv({ HOME: tmp, AWS_EC2_METADATA_DISABLED: 'true' }) });
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.is(lines(r.stderr).length, 1, r.stderr);
    assert.match(r.stderr, pattern);
  }
  // The transcript beside the audio is the emulator's script: not a place for the output.
  const copy = wavFile('copy', readFileSync(SAMPLE).subarray(44), 48000, 2, TRANSCRIPT);
  const before = read('copy.txt');
  const r = await cli([copy, '--emulator', '--output', path('copy.txt')]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /copy\.txt would overwrite the emulator's script/);
  assert.is(read('copy.txt'), before);
  const self = await cli([copy, '--emulator', '--script', path('copy.txt'), '--output', path('copy.txt')]);
  assert.is(self.code, 2, self.stderr);
});

test('command: Ctrl-C keeps the finals so far in the files (exit 130)', async () => {
  const r = startCli([SAMPLE, '--emulator', '--output', path('int.srt'), '--output', path('int.json')]);
  await r.waitStdout(/\n/);
  const { run } = await signalAndWait(r, 'SIGINT');
  assert.is(run.code, 130, run.stderr);
  const cues = parseSrt(read('int.srt'));
  assert.is(cueText(cues), lines(run.stdout).join(' '));
  assert.ok(cues.length >= 1);
  assert.equal(
    (JSON.parse(read('int.json')) as { segments: { text: string }[] }).segments.map((s) => s.text),
    lines(run.stdout),
  );
});

test('command: a second signal (no graceful stop) still saves the files before it exits', async () => {
  const emu = await startEmulator({ script: TRANSCRIPT });
  try {
    const env = cleanEnv({
      AWS_ACCESS_KEY_ID: emu.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: emu.credentials.secretAccessKey,
    });
    const r = startCli([SAMPLE, '--endpoint', emu.endpoint, '--output', path('abort.vtt')], { env });
    await r.waitStdout(/\n/);
    emu.fault({ type: 'stop-reading', target: 'current' }); // the graceful stop would hang
    r.child.kill('SIGINT');
    await new Promise((res) => setTimeout(res, 300));
    const { run, ms } = await signalAndWait(r, 'SIGINT');
    assert.is(run.code, 130, run.stderr);
    assert.ok(ms < 1000, `${Math.round(ms)} ms`);
    const cues = parseVtt(read('abort.vtt'));
    assert.is(cueText(cues), lines(run.stdout).join(' '));
    assert.ok(cues.length >= 1);
  } finally {
    await emu.close();
  }
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));

test.run();
