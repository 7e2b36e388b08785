// The transcribe-stream command: its parts (arguments, WAV header, sample decoding, pacing, the
// terminal display) in-process, then the built command itself, spawned as a user would run it,
// on the bundled sample against the emulator (text, --json, stdin, other encodings), every
// bad-input case (one line on stderr, non-zero exit), the standalone emulator and the demo.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from '../../dist/cli/args.js';
import { ByteReader } from '../../dist/cli/byte-reader.js';
import { Display, frameJson } from '../../dist/cli/display.js';
import type { OutStream } from '../../dist/cli/display.js';
import { Pacer } from '../../dist/core/index.js';
import { PcmDecoder } from '../../dist/cli/pcm-decode.js';
import type { SampleFormat } from '../../dist/cli/pcm-decode.js';
import { readWavHeader } from '../../dist/cli/wav.js';
import { TranscribeError } from '../../dist/adapters/node.js';
import type { InterimTranscriptionFrame, TranscriptionFrame, TranscriptItem } from '../../dist/adapters/node.js';
import { startEmulator } from '../../dist/emulator/index.js';
import { CLI, cleanEnv, cli, lines, root, SAMPLE, SCRIPT_FILE, TRANSCRIPT } from '../helpers/cli-run.ts';
import type { Run } from '../helpers/cli-run.ts';
import { joinRegExp } from '../helpers/regexp.ts';

const tmp = mkdtempSync(join(tmpdir(), 'transcribe-stream-cli-'));

// ---- helpers ------------------------------------------------------------------------------------

/** A failure is exactly one line on stderr. */
function oneLine(r: Run, code: number, pattern: RegExp): string {
  assert.is(r.code, code, `exit code; stderr: ${r.stderr}`);
  const err = lines(r.stderr);
  assert.is(err.length, 1, `one line on stderr, got:\n${r.stderr}`);
  assert.match(err[0]!, /^transcribe-stream: /);
  assert.match(err[0]!, pattern);
  return err[0]!;
}

interface WavSpec {
  tag: number;
  bits: number;
  channels: number;
  rate: number;
  data: Uint8Array;
  blockAlign?: number;
  /** WAVE_FORMAT_EXTENSIBLE around `tag` (or a foreign GUID). */
  extensible?: { guid?: Uint8Array; validBits?: number };
  /** A LIST chunk of odd size (padded) between fmt and data. */
  list?: boolean;
  dataSize?: number;
}

function wav(s: WavSpec): Uint8Array {
  const ext = s.extensible;
  const fmtSize = ext ? 40 : 16;
  const list = s.list
    ? new Uint8Array([...'LIST'].map((c) => c.charCodeAt(0)).concat([5, 0, 0, 0, 1, 2, 3, 4, 5, 0]))
    : new Uint8Array(0);
  const out = new Uint8Array(12 + 8 + fmtSize + list.length + 8 + s.data.length);
  const v = new DataView(out.buffer);
  const str = (at: number, t: string): void => {
    for (let i = 0; i < t.length; i++) v.setUint8(at + i, t.charCodeAt(i));
  };
  const bytes = s.bits / 8;
  str(0, 'RIFF');
  v.setUint32(4, out.length - 8, true);
  str(8, 'WAVE');
  str(12, 'fmt ');
  v.setUint32(16, fmtSize, true);
  v.setUint16(20, ext ? 0xfffe : s.tag, true);
  v.setUint16(22, s.channels, true);
  v.setUint32(24, s.rate, true);
  v.setUint32(28, s.rate * s.channels * bytes, true);
  v.setUint16(32, s.blockAlign ?? s.channels * bytes, true);
  v.setUint16(34, s.bits, true);
  if (ext) {
    v.setUint16(36, 22, true);
    v.setUint16(38, ext.validBits ?? s.bits, true);
    v.setUint32(40, s.channels === 2 ? 3 : 4, true);
    const guid =
      ext.guid ??
      new Uint8Array([s.tag & 0xff, s.tag >> 8, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71]);
    out.set(guid, 44);
  }
  let at = 20 + fmtSize;
  out.set(list, at);
  at += list.length;
  str(at, 'data');
  v.setUint32(at + 4, s.dataSize ?? s.data.length, true);
  out.set(s.data, at + 8);
  return out;
}

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function header(
  bytes: Uint8Array,
  chunkSize = 1,
): Promise<{ info: Awaited<ReturnType<typeof readWavHeader>>; reader: ByteReader }> {
  const reader = new ByteReader(chunks(bytes, chunkSize));
  return { info: await readWavHeader(reader, 'x.wav'), reader };
}

async function headerError(bytes: Uint8Array): Promise<string> {
  try {
    await header(bytes, 7);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the header to be refused');
}

/** The sample's PCM (16-bit stereo interleaved, 48 kHz): its header is the canonical 44 bytes. */
const samplePcm = (): Int16Array => {
  const file = readFileSync(SAMPLE);
  assert.is(file.toString('latin1', 36, 40), 'data');
  return new Int16Array(file.buffer.slice(file.byteOffset + 44, file.byteOffset + file.length));
};

/** Writes `bytes` as tmp/<name>.wav with the sample's transcript beside it (the emulator's script). */
function withTranscript(name: string, bytes: Uint8Array): string {
  const path = join(tmp, `${name}.wav`);
  writeFileSync(path, bytes);
  copyFileSync(SCRIPT_FILE, join(tmp, `${name}.txt`));
  return path;
}

/** G.711 µ-law compression (the reference encoder), to make a µ-law WAV from the sample. */
function ulawEncode(sample: number): number {
  const sign = sample < 0 ? 0x80 : 0;
  let s = Math.min(Math.abs(sample), 32635) + 0x84;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  s = ~(sign | (exponent << 4) | mantissa);
  return s & 0xff;
}

class Sink implements OutStream {
  text = '';
  readonly isTTY: boolean;
  readonly columns: number | undefined;
  constructor(isTTY: boolean, columns?: number) {
    this.isTTY = isTTY;
    this.columns = columns;
  }
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

function result(text: string, partial: boolean, items: TranscriptItem[] = []): TranscriptionFrame['result'] {
  return {
    ResultId: 'r1',
    StartTime: 0,
    EndTime: 1,
    IsPartial: partial,
    Alternatives: [{ Transcript: text, Items: items }],
  };
}
const finalFrame = (text: string, items: TranscriptItem[] = [], language = 'en-US'): TranscriptionFrame => ({
  type: 'transcription',
  text,
  userId: '',
  timestamp: '',
  language,
  result: result(text, false, items),
});
const interimFrame = (text: string): InterimTranscriptionFrame => ({
  type: 'interimTranscription',
  text,
  userId: '',
  timestamp: '',
  language: 'en-US',
  result: result(text, true),
});

function display(out: Sink, err: Sink, o: Partial<ConstructorParameters<typeof Display>[0]> = {}): Display {
  return new Display({
    out,
    err,
    json: false,
    interimLines: false,
    progress: false,
    color: false,
    speakers: false,
    channels: false,
    languages: false,
    ...o,
  });
}

// ---- arguments ----------------------------------------------------------------------------------

test('arguments: --fast is 4x after a 1 s burst; real time by default; demo implies the emulator and interims', () => {
  const fast = parseArgs(['a.wav', '--fast']);
  assert.ok(fast.kind === 'transcribe');
  assert.is(fast.args.speed, 4);
  assert.is(fast.args.burstSeconds, 1);
  const plain = parseArgs(['a.wav', '--region=eu-west-1']);
  assert.ok(plain.kind === 'transcribe');
  assert.is(plain.args.speed, 1);
  assert.is(plain.args.burstSeconds, 0);
  assert.is(plain.args.region, 'eu-west-1');
  assert.is(plain.args.emulator, false);
  const demo = parseArgs(['demo']);
  assert.ok(demo.kind === 'demo');
  assert.is(demo.args.emulator, true);
  assert.is(demo.args.interim, true);
  const aws = parseArgs(['demo', '--aws']);
  assert.ok(aws.kind === 'demo' && aws.aws && !aws.args.emulator);
  assert.equal(parseArgs(['emulator', '--port', '0']), { kind: 'emulator', argv: ['--port', '0'] });
  const lang = parseArgs(['-', '--language', 'en_gb', '--rate', '8000', '--format', 'mulaw']);
  assert.ok(lang.kind === 'transcribe');
  assert.is(lang.args.language, 'en-GB');
  assert.is(lang.args.format, 'ulaw');
});

test('arguments: mistakes name the flag, and typos get the closest flag or language', () => {
  const refused = (argv: string[], pattern: RegExp): void => {
    try {
      parseArgs(argv);
    } catch (e) {
      assert.match((e as Error).message, pattern);
      assert.is((e as { exitCode?: number }).exitCode, 2);
      return;
    }
    assert.unreachable(`accepted ${argv.join(' ')}`);
  };
  refused(['a.wav', '--langauge', 'en-US'], /unknown option --langauge; did you mean --language\?/);
  refused(
    ['a.wav', '--language', 'en-UX'],
    /"en-UX" is not an Amazon Transcribe streaming language; did you mean en-US\?/,
  );
  refused(['a.wav', '--identify-language', '--language-options', 'en-US,xx-QQ'], /--language-options: "xx-QQ"/);
  refused(['a.wav', '--identify-language'], /needs --language-options/);
  refused(['a.wav', '--language-options', 'en-US,es-US'], /needs --identify-language/);
  refused(['a.wav', '--rate', '4000'], /--rate must be an integer from 8000 to 192000/);
  refused(['a.wav', '--channels', '6'], /--channels must be 1 or 2/);
  refused(['a.wav', '--format', 'mp3'], /--format must be one of/);
  refused(['a.wav', '--sample-rate', '44100'], /8000 or 16000/);
  refused(['a.wav', '--script', 's.txt'], /add --emulator/);
  refused(['a.wav', '--aws'], /belongs to the demo/);
  refused(['a.wav', '--emulator', '--endpoint', 'ws://x'], /contradict/);
  refused(['a.wav', 'b.wav'], /one input at a time/);
  refused([], /no input/);
  refused(['a.wav', '--region'], /--region needs a value/);
});

// ---- WAV header and sample decoding -------------------------------------------------------------

test('WAV: chunks walked byte by byte, odd-sized ones skipped with their pad byte, the data offset found', async () => {
  const data = new Uint8Array([1, 0, 2, 0, 3, 0, 4, 0]);
  const { info, reader } = await header(wav({ tag: 1, bits: 16, channels: 2, rate: 44100, data, list: true }));
  assert.equal(info, { format: 's16le', sampleRate: 44100, channels: 2, dataBytes: 8 });
  assert.equal(Array.from(await reader.read(8)), Array.from(data));
  // A writer that streamed to a pipe could not know the length.
  const unknown = await header(wav({ tag: 1, bits: 16, channels: 1, rate: 8000, data, dataSize: 0xffffffff }), 5);
  assert.is(unknown.info.dataBytes, undefined);
});

test('WAV: every supported encoding, plain and WAVE_FORMAT_EXTENSIBLE', async () => {
  const cases: [number, number, SampleFormat][] = [
    [1, 8, 'u8'],
    [1, 16, 's16le'],
    [1, 24, 's24le'],
    [1, 32, 's32le'],
    [3, 32, 'f32le'],
    [3, 64, 'f64le'],
    [6, 8, 'alaw'],
    [7, 8, 'ulaw'],
  ];
  for (const [tag, bits, format] of cases) {
    const data = new Uint8Array((bits / 8) * 4);
    assert.is(
      (await header(wav({ tag, bits, channels: 1, rate: 16000, data }))).info.format,
      format,
      `tag ${tag} ${bits}-bit`,
    );
    assert.is(
      (await header(wav({ tag, bits, channels: 2, rate: 16000, data, extensible: {} }))).info.format,
      format,
      `extensible ${tag} ${bits}-bit`,
    );
  }
  // 24 valid bits in a 32-bit container: left-justified, read as 32-bit.
  assert.is(
    (
      await header(
        wav({ tag: 1, bits: 32, channels: 1, rate: 16000, data: new Uint8Array(8), extensible: { validBits: 24 } }),
      )
    ).info.format,
    's32le',
  );
});

test('WAV: what cannot be read is named (encoding, sub-format, channels, rate, container)', async () => {
  const d = new Uint8Array(64);
  assert.match(
    await headerError(wav({ tag: 2, bits: 4, channels: 1, rate: 8000, data: d, blockAlign: 256 })),
    /unsupported WAV encoding: Microsoft ADPCM, 4-bit, 8000 Hz, 1 channel/,
  );
  assert.match(
    await headerError(wav({ tag: 0x55, bits: 0, channels: 2, rate: 44100, data: d, blockAlign: 1 })),
    /unsupported WAV encoding: MP3/,
  );
  assert.match(
    await headerError(wav({ tag: 0x11, bits: 4, channels: 1, rate: 8000, data: d, blockAlign: 256 })),
    /IMA ADPCM/,
  );
  assert.match(await headerError(wav({ tag: 1, bits: 12, channels: 1, rate: 8000, data: d })), /PCM, 12-bit/);
  assert.match(await headerError(wav({ tag: 3, bits: 16, channels: 1, rate: 8000, data: d })), /IEEE float, 16-bit/);
  assert.match(
    await headerError(wav({ tag: 0x1234, bits: 16, channels: 1, rate: 8000, data: d })),
    /format tag 0x1234/,
  );
  const dolby = new Uint8Array([0x92, 0x00, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x70]);
  assert.match(
    await headerError(wav({ tag: 1, bits: 16, channels: 2, rate: 48000, data: d, extensible: { guid: dolby } })),
    /sub-format GUID 9200000000001000800000aa00389b70/,
  );
  assert.match(
    await headerError(wav({ tag: 1, bits: 16, channels: 6, rate: 48000, data: d })),
    /6 channels \(PCM 16-bit\)/,
  );
  assert.match(await headerError(wav({ tag: 1, bits: 16, channels: 1, rate: 4000, data: d })), /4000 Hz/);
  assert.match(
    await headerError(new TextEncoder().encode('fLaC\0\0\0\x22 and then some FLAC frames')),
    /not a WAV file \(it looks like FLAC\)/,
  );
  assert.match(await headerError(new TextEncoder().encode('OggS\0\x02 and more of an Ogg page')), /looks like Ogg/);
  assert.match(await headerError(new TextEncoder().encode('RIFX\0\0\0\0WAVEfmt ')), /big-endian RIFX/);
  assert.match(await headerError(new TextEncoder().encode('RIFF\0\0\0\0AVI LIST')), /type "AVI ", not WAVE audio/);
  const truncated = wav({ tag: 1, bits: 16, channels: 1, rate: 8000, data: d }).subarray(0, 30);
  assert.match(await headerError(truncated), /malformed WAV/);
});

test('decoding: every format to what pushAudio takes, at any alignment', () => {
  const bytesOf = (fill: (v: DataView) => void, n: number, offset = 0): Uint8Array => {
    const buf = new Uint8Array(n + offset);
    fill(new DataView(buf.buffer, offset));
    return buf.subarray(offset);
  };
  const s16 = [0, 1, -1, 32767, -32768];
  for (const offset of [0, 1]) {
    const b = bytesOf(
      (v) =>
        s16.forEach((x, i) => {
          v.setInt16(i * 2, x, true);
        }),
      10,
      offset,
    );
    assert.equal(Array.from(new PcmDecoder('s16le').decode(b)), s16, `s16le at offset ${offset}`);
  }
  const s24 = bytesOf(
    (v) =>
      [0, 1, -1, 8388607, -8388608].forEach((x, i) => {
        v.setUint8(i * 3, x & 0xff);
        v.setUint8(i * 3 + 1, (x >> 8) & 0xff);
        v.setUint8(i * 3 + 2, (x >> 16) & 0xff);
      }),
    15,
  );
  assert.equal(Array.from(new PcmDecoder('s24le').decode(s24)), [0, 1 / 8388608, -1 / 8388608, 8388607 / 8388608, -1]);
  const s32 = bytesOf(
    (v) =>
      [0, 2147483647, -2147483648, 65536].forEach((x, i) => {
        v.setInt32(i * 4, x, true);
      }),
    16,
  );
  assert.equal(Array.from(new PcmDecoder('s32le').decode(s32)), [
    0,
    Math.fround(2147483647 / 2147483648),
    -1,
    Math.fround(65536 / 2147483648),
  ]);
  for (const offset of [0, 2]) {
    const f32 = bytesOf(
      (v) =>
        [0.5, -0.25, 1].forEach((x, i) => {
          v.setFloat32(i * 4, x, true);
        }),
      12,
      offset,
    );
    assert.equal(Array.from(new PcmDecoder('f32le').decode(f32)), [0.5, -0.25, 1], `f32le at offset ${offset}`);
  }
  const f64 = bytesOf(
    (v) =>
      [0.5, -0.125].forEach((x, i) => {
        v.setFloat64(i * 8, x, true);
      }),
    16,
  );
  assert.equal(Array.from(new PcmDecoder('f64le').decode(f64)), [0.5, -0.125]);
  assert.equal(Array.from(new PcmDecoder('u8').decode(new Uint8Array([128, 0, 255]))), [0, -32768, 32512]);
  // G.711 reference values (ITU-T G.191 tables): µ-law 0xFF/0x80/0x00, A-law 0xD5/0x55/0xAA/0x2A.
  assert.equal(
    Array.from(new PcmDecoder('ulaw').decode(new Uint8Array([0xff, 0x80, 0x00, 0x7f]))),
    [0, 32124, -32124, 0],
  );
  assert.equal(
    Array.from(new PcmDecoder('alaw').decode(new Uint8Array([0xd5, 0x55, 0xaa, 0x2a]))),
    [8, -8, 32256, -32256],
  );
  // The test's µ-law encoder and the decoder agree to within a quantisation step.
  for (const x of [0, 100, -100, 1000, -5000, 20000, -32000]) {
    const y = new PcmDecoder('ulaw').decode(new Uint8Array([ulawEncode(x)]))[0]!;
    assert.ok(Math.abs(y - x) <= Math.max(8, Math.abs(x) / 16), `${x} -> ${y}`);
  }
});

// ---- pacing and display -------------------------------------------------------------------------

test('pacing: real time waits out each block; --fast lets a 1 s burst through, then 4x', async () => {
  let now = 1000;
  const slept: number[] = [];
  const clock = {
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
  };
  const real = new Pacer({ speed: 1, burstSeconds: 0, ...clock });
  real.start();
  await real.wait(0.1);
  await real.wait(0.2);
  assert.equal(slept, [100, 100]);
  now += 500; // the source was slow: no waiting to catch up
  await real.wait(0.3);
  assert.equal(slept, [100, 100]);
  slept.length = 0;
  const fast = new Pacer({ speed: 4, burstSeconds: 1, ...clock });
  fast.start();
  for (const t of [0.1, 0.5, 1]) await fast.wait(t);
  assert.equal(slept, []);
  await fast.wait(3);
  assert.equal(slept, [500]);
  assert.is(fast.dueMs(5), 1000);
});

test('display on a terminal: the interim rewrites one line, a final replaces it, a long interim keeps its tail', () => {
  const out = new Sink(true, 24);
  const err = new Sink(true, 24);
  const d = display(out, err);
  d.frame(interimFrame('hello'));
  d.frame(interimFrame('hello there'));
  d.frame(finalFrame('Hello there.'));
  assert.is(out.text, '\r\x1b[Khello\r\x1b[Khello there\r\x1b[KHello there.\n');
  out.text = '';
  d.frame(interimFrame('a very long interim result that cannot fit'));
  assert.is(out.text, '\r\x1b[K…result that cannot fit'); // 23 = columns - 1
  d.note('transcribe-stream: warning: reconnecting');
  assert.is(err.text, 'transcribe-stream: warning: reconnecting\n');
  assert.ok(out.text.endsWith('\r\x1b[K\r\x1b[K…result that cannot fit'), JSON.stringify(out.text));
  d.close();
  assert.ok(out.text.endsWith('\r\x1b[K'));
});

test('display elsewhere: finals only, or "~ " interims; progress every tenth; labels; errors as JSON with code', () => {
  const out = new Sink(false);
  const err = new Sink(false);
  const d = display(out, err, { progress: true });
  d.frame(interimFrame('hello'));
  d.frame(finalFrame('Hello.'));
  for (let t = 0; t <= 60; t += 5) d.progress(t, 60);
  assert.is(out.text, 'Hello.\n');
  assert.is(lines(err.text).length, 10);
  assert.is(lines(err.text)[9], 'progress: 1:00 / 1:00 100%');
  const out2 = new Sink(false);
  display(out2, new Sink(false), { interimLines: true }).frame(interimFrame('hel'));
  assert.is(out2.text, '~ hel\n');
  const items: TranscriptItem[] = [
    { StartTime: 0, EndTime: 1, Type: 'pronunciation', Content: 'Hi', Speaker: '0' },
    { StartTime: 1, EndTime: 1, Type: 'punctuation', Content: '.', Speaker: '0' },
    { StartTime: 1, EndTime: 2, Type: 'pronunciation', Content: 'Hello', Speaker: '1' },
    { StartTime: 2, EndTime: 3, Type: 'pronunciation', Content: 'there', Speaker: '1' },
  ];
  const out3 = new Sink(false);
  display(out3, new Sink(false), { speakers: true, languages: true }).frame(
    finalFrame('Hi. Hello there', items, 'es-US'),
  );
  assert.is(out3.text, '[es-US] [speaker 0] Hi. [speaker 1] Hello there\n');
  const e = JSON.parse(
    frameJson({
      type: 'error',
      fatal: true,
      timestamp: 't',
      error: new TranscribeError('AUTH_FAILED', 'refused', { status: 403 }),
    }),
  );
  assert.equal(e.error, {
    name: 'TranscribeError',
    code: 'AUTH_FAILED',
    message: 'refused',
    retryable: false,
    status: 403,
  });
});

// ---- the command on the bundled sample -----------------------------------------------------------

test('command: the bundled sample through the emulator prints its three utterances and a summary', async () => {
  const r = await cli([SAMPLE, '--emulator', '--fast']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(lines(r.stdout), TRANSCRIPT);
  assert.match(
    r.stderr,
    joinRegExp(
      /^summary: 3 utterances, 10 words; 4\.2 s of audio in [\d.]+ s, [\d.]+x real time; TTFS p50 /m,
      /[\d.]+ s, p99 [\d.]+ s; 0 reconnects$/,
    ),
  );
  assert.is(lines(r.stderr).length, 1);
});

test('command: --json prints one NDJSON object per frame, finals in order, and the summary last', async () => {
  const r = await cli([SAMPLE, '--emulator', '--fast', '--json']);
  assert.is(r.code, 0, r.stderr);
  const objects = lines(r.stdout).map(
    (l) => JSON.parse(l) as { type: string; text?: string; sampleRate?: number; utterances?: number; words?: number },
  );
  assert.is(objects[0]!.type, 'metadata');
  assert.is(objects[0]!.sampleRate, 16000);
  assert.equal(
    objects.filter((o) => o.type === 'transcription').map((o) => o.text),
    TRANSCRIPT,
  );
  const interims = objects.filter((o) => o.type === 'interimTranscription');
  assert.ok(interims.length >= 3, `${interims.length} interims`);
  assert.ok(objects.some((o) => o.type === 'connected'));
  const summary = objects[objects.length - 1]!;
  assert.is(summary.type, 'summary');
  assert.is(summary.utterances, 3);
  assert.is(summary.words, 10);
  assert.is(r.stderr, '');
});

test('command: stdin as raw PCM (--rate/--channels) and as a WAV stream', async () => {
  const pcm = samplePcm();
  const raw = await cli(['-', '--rate', '48000', '--channels', '2', '--emulator', '--fast'], {
    stdin: new Uint8Array(pcm.buffer),
  });
  assert.is(raw.code, 0, raw.stderr);
  // No transcript beside stdin: the emulator's generic script.
  assert.equal(lines(raw.stdout), [
    'Utterance 1 from the emulator.',
    'Utterance 2 from the emulator.',
    'Utterance 3 from the emulator.',
  ]);
  const piped = await cli(['-', '--emulator', '--fast', '--script', SCRIPT_FILE], { stdin: readFileSync(SAMPLE) });
  assert.is(piped.code, 0, piped.stderr);
  assert.equal(lines(piped.stdout), TRANSCRIPT);
});

test('command: 24-bit mono, float stereo and µ-law versions of the sample give the same transcript', async () => {
  const pcm = samplePcm();
  const frames = pcm.length / 2;
  const s24 = new Uint8Array(frames * 3);
  const f32 = new Float32Array(pcm.length);
  const mu = new Uint8Array(frames);
  for (let i = 0; i < frames; i++) {
    const x = pcm[2 * i]! * 256;
    s24[3 * i] = x & 0xff;
    s24[3 * i + 1] = (x >> 8) & 0xff;
    s24[3 * i + 2] = (x >> 16) & 0xff;
    mu[i] = ulawEncode(pcm[2 * i]!);
  }
  for (let i = 0; i < pcm.length; i++) f32[i] = pcm[i]! / 32768;
  const files = [
    withTranscript('s24-mono', wav({ tag: 1, bits: 24, channels: 1, rate: 48000, data: s24 })),
    withTranscript(
      'f32-stereo',
      wav({ tag: 3, bits: 32, channels: 2, rate: 48000, data: new Uint8Array(f32.buffer), extensible: {} }),
    ),
    withTranscript('ulaw-mono', wav({ tag: 7, bits: 8, channels: 1, rate: 48000, data: mu })),
  ];
  for (const file of files) {
    const r = await cli([file, '--emulator', '--fast']);
    assert.is(r.code, 0, `${file}: ${r.stderr}`);
    assert.equal(lines(r.stdout), TRANSCRIPT, file);
  }
});

test('command: --speaker-labels and --identify-language label the finals', async () => {
  const r = await cli([
    SAMPLE,
    '--emulator',
    '--fast',
    '--speaker-labels',
    '--identify-language',
    '--language-options',
    'en-US,es-US',
  ]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(
    lines(r.stdout),
    TRANSCRIPT.map((t) => `[en-US] [speaker 0] ${t}`),
  );
});

// ---- bad input: one line, non-zero exit ----------------------------------------------------------

test('bad input: unsupported WAV encodings and non-WAV files are named (exit 2)', async () => {
  const adpcm = join(tmp, 'adpcm.wav');
  writeFileSync(adpcm, wav({ tag: 2, bits: 4, channels: 1, rate: 8000, data: new Uint8Array(512), blockAlign: 256 }));
  oneLine(
    await cli([adpcm, '--emulator']),
    2,
    /adpcm\.wav: unsupported WAV encoding: Microsoft ADPCM, 4-bit, 8000 Hz, 1 channel; .*PCM 8\/16\/24\/32-bit/,
  );
  const flac = join(tmp, 'song.wav');
  writeFileSync(flac, 'fLaC\0\0\0\x22 and then some FLAC frames');
  oneLine(await cli([flac, '--emulator']), 2, /song\.wav: not a WAV file \(it looks like FLAC\)/);
  oneLine(await cli([join(tmp, 'missing.wav'), '--emulator']), 2, /missing\.wav: no such file/);
  oneLine(
    await cli(['-', '--emulator'], { stdin: new Uint8Array(4000) }),
    2,
    /stdin has no WAV header: for raw PCM give --rate/,
  );
});

test('bad input: an unknown language suggests the closest code (exit 2)', async () => {
  oneLine(
    await cli([SAMPLE, '--emulator', '--language', 'en-UK']),
    2,
    /--language: "en-UK" is not an Amazon Transcribe streaming language; did you mean en-GB\?/,
  );
  oneLine(await cli([SAMPLE, '--langauge', 'en-US']), 2, /did you mean --language\?/);
});

test('bad input: no credentials names the variables and --emulator (exit 1)', async () => {
  const home = mkdtempSync(join(tmp, 'home-'));
  const env = cleanEnv({
    HOME: home,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(home, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
  });
  const line = oneLine(
    await cli([SAMPLE], { env }),
    1,
    /no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
  );
  assert.match(line, /--emulator/);
  oneLine(
    await cli([SAMPLE], { env: { ...env, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE' } }),
    1,
    /AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not/,
  );
  // The demo with --aws: the banner, then the one line, which points back to the offline demo.
  const demo = await cli(['demo', '--aws'], { env });
  assert.is(demo.code, 1);
  assert.match(
    demo.stderr,
    joinRegExp(
      /^demo: .* -> Amazon Transcribe in us-east-1\ntranscribe-stream: no AWS credentials: .*or drop /,
      /--aws to try it offline/,
    ),
  );
  assert.is(lines(demo.stderr).length, 2);
});

test('bad input: an unreachable endpoint says so after the retries (exit 1)', async () => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  const env = cleanEnv({ AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' });
  oneLine(
    await cli([SAMPLE, '--endpoint', `ws://127.0.0.1:${port}`], { env }),
    1,
    new RegExp(`cannot reach 127\\.0\\.0\\.1:${port}: the connection failed`),
  );
});

test('bad input: a refused signature (403) names the IAM action and the clock, also when skewed (exit 1)', async () => {
  const emu = await startEmulator({ script: TRANSCRIPT });
  try {
    const env = cleanEnv({ AWS_ACCESS_KEY_ID: 'AKIAWRONGWRONGWRONG1', AWS_SECRET_ACCESS_KEY: 'not-the-secret' });
    const line = oneLine(await cli([SAMPLE, '--endpoint', emu.endpoint], { env }), 1, /HTTP 403/);
    assert.match(line, /transcribe:StartStreamTranscriptionWebSocket/);
    assert.match(line, /clock/);
    assert.not.match(line, /not-the-secret/);
  } finally {
    await emu.close();
  }
  const skewed = await startEmulator({ script: TRANSCRIPT, clockSkewMs: 20 * 60_000 });
  try {
    const c = skewed.credentials;
    const env = cleanEnv({ AWS_ACCESS_KEY_ID: c.accessKeyId, AWS_SECRET_ACCESS_KEY: c.secretAccessKey });
    const line = oneLine(
      await cli([SAMPLE, '--endpoint', skewed.endpoint], { env }),
      1,
      /HTTP 403.*transcribe:StartStreamTranscriptionWebSocket/,
    );
    assert.match(line, /[Ss]ignature expired|clock is right/);
    assert.match(line, /this machine's clock says \d{4}-\d\d-\d\dT/);
  } finally {
    await skewed.close();
  }
});

// ---- the standalone emulator and the demo ------------------------------------------------------------

test('`transcribe-stream emulator --script` serves another run of the command', async () => {
  const child = spawn(process.execPath, [CLI, 'emulator', '--script', SCRIPT_FILE], {
    cwd: root,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let text = '';
    const banner = await new Promise<string>((resolve, reject) => {
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        text += d;
        if (text.includes('env: ')) resolve(text);
      });
      child.on('close', (code) => reject(new Error(`emulator exited with ${code}`)));
    });
    const endpoint = /listening on (ws:\/\/\S+)/.exec(banner)![1]!;
    const id = /AWS_ACCESS_KEY_ID=(\S+)/.exec(banner)![1]!;
    const secret = /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(banner)![1]!;
    const r = await cli([SAMPLE, '--endpoint', endpoint, '--fast'], {
      env: cleanEnv({ AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: secret }),
    });
    assert.is(r.code, 0, r.stderr);
    assert.equal(lines(r.stdout), TRANSCRIPT);
  } finally {
    const closed = new Promise((r) => child.on('close', r));
    child.kill('SIGTERM');
    await closed;
  }
});

test('`transcribe-stream emulator` refuses a bad flag with one line (exit 2)', async () => {
  oneLine(await cli(['emulator', '--prot', '8080']), 2, /--prot: is not an emulator option/);
});

test('the demo (`npm start`): sample -> emulator at real-time pace, interims, finals and the summary', async () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
    bin: Record<string, string>;
  };
  assert.match(pkg.scripts.start!, /^node build\.mjs && node dist\/cli\/bin\.js demo$/);
  assert.is(pkg.bin['transcribe-stream'], 'dist/cli/bin.js');
  assert.is(readFileSync(CLI, 'utf8').split('\n')[0], '#!/usr/bin/env node');
  const r = await cli(['demo']);
  assert.is(r.code, 0, r.stderr);
  const out = lines(r.stdout);
  assert.equal(
    out.filter((l) => !l.startsWith('~ ')),
    TRANSCRIPT,
  );
  assert.ok(out.includes('~ This is a'), r.stdout);
  // Each interim comes before its final.
  assert.ok(out.indexOf('~ Hello') < out.indexOf('Hello there.'));
  const err = lines(r.stderr);
  assert.match(
    err[0]!,
    joinRegExp(
      /^demo: emulator\/sample\/demo\.wav \(WAV, PCM 16-bit, 48000 Hz, stereo, 4\.2 s\) -> the /,
      /bundled emulator at ws:\/\/127\.0\.0\.1:\d+/,
    ),
  );
  assert.match(err[err.length - 1]!, /^summary: 3 utterances, 10 words; 4\.2 s of audio in [\d.]+ s, 1\.0x real time/);
});

test('--help lists every option group and exits 0', async () => {
  const r = await cli(['--help']);
  assert.is(r.code, 0);
  for (const flag of [
    '--rate',
    '--fast',
    '--json',
    '--output',
    '--region',
    '--language',
    '--identify-language',
    '--vocabulary',
    '--speaker-labels',
    '--channel-identification',
    '--endpoint',
    '--emulator',
    '--aws',
  ]) {
    assert.ok(r.stdout.includes(flag), flag);
  }
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));

test.run();
