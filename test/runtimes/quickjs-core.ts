// The protocol core and the pure-TypeScript DSP on a bare ES2022 engine. Bundled by the QuickJS row
// into one IIFE (global `CoreRun`) and run in quickjs-emscripten, which has no WebCrypto, no
// TextEncoder, no WebAssembly, no timers and no console; the same function runs on Node, and the
// two JSON strings must be equal byte for byte.
import {
  audioEvent,
  crc32,
  decodeMessage,
  encodeMessage,
  endOfStream,
  MessageDecoder,
  parseServerMessage,
  presignUrl,
  sha256,
  toHex,
  transcribeUrl,
  utf8Encode,
} from '../../dist/core/index.js';
import type { HeaderValue, Message } from '../../dist/core/index.js';
import { dspBackend, initDsp, PcmPipeline } from '../../dist/dsp/index.js';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'token/with+special=chars',
};
const date = new Date(Date.UTC(2026, 10, 25, 12, 34, 56));

function headerJson(h: HeaderValue): unknown {
  switch (h.type) {
    case 'long':
      return `${h.value}n`;
    case 'binary':
      return toHex(h.value);
    case 'timestamp':
      return h.value.toISOString();
    default:
      return h.value;
  }
}

function messageJson(m: Message): unknown {
  const headers: Record<string, unknown> = {};
  for (const k of Object.keys(m.headers).sort()) headers[k] = [m.headers[k]!.type, headerJson(m.headers[k]!)];
  return { headers, body: toHex(m.body) };
}

/** Deterministic test signal: two tones and a little noise, interleaved stereo Float32. */
function signal(frames: number, rate: number): Float32Array {
  const out = new Float32Array(frames * 2);
  let seed = 7;
  for (let i = 0; i < frames; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const n = (seed / 0x100000000 - 0.5) * 0.01;
    out[2 * i] = 0.4 * Math.sin((2 * Math.PI * 440 * i) / rate) + n;
    out[2 * i + 1] = 0.3 * Math.sin((2 * Math.PI * 1234.5 * i) / rate) - n;
  }
  return out;
}

export function runCore(): string {
  const out: Record<string, unknown> = {
    globals: {
      crypto: typeof (globalThis as { crypto?: unknown }).crypto,
      TextEncoder: typeof (globalThis as { TextEncoder?: unknown }).TextEncoder,
      WebAssembly: typeof (globalThis as { WebAssembly?: unknown }).WebAssembly,
    },
  };

  // SigV4: a generic presigned URL and the Transcribe one with many options.
  out.presign = presignUrl({
    url: 'https://example.amazonaws.com/some path/ü?b=2&a=1&a=0',
    service: 'execute-api',
    region: 'eu-west-3',
    credentials,
    date,
    expiresIn: 300,
    headers: { 'x-amz-meta-thing': '  spaced   value ' },
    body: 'payload ✓',
  });
  out.transcribeUrl = transcribeUrl({
    region: 'us-west-2',
    credentials,
    date,
    sampleRate: 16000,
    mediaEncoding: 'pcm',
    languageCode: 'en-GB',
    sessionId: '3f9a2c3e-6a4b-4c1d-9e2f-1a2b3c4d5e6f',
    showSpeakerLabel: true,
    enablePartialResultsStabilization: true,
    partialResultsStability: 'high',
    vocabularyName: 'my-vocab',
    contentIdentificationType: 'PII',
    piiEntityTypes: ['NAME', 'ADDRESS'],
  });
  out.sha256 = toHex(sha256('The quick brown fox jumps over the lazy dog ✓'));

  // Event-stream: every header type, encoded, decoded whole and in 7-byte chunks.
  const message: Message = {
    headers: {
      ':event-type': { type: 'string', value: 'AudioEvent' },
      flag: { type: 'boolean', value: true },
      off: { type: 'boolean', value: false },
      byte: { type: 'byte', value: -7 },
      short: { type: 'short', value: -1234 },
      int: { type: 'integer', value: 123456789 },
      long: { type: 'long', value: -9007199254740993n },
      bin: { type: 'binary', value: new Uint8Array([0, 1, 254, 255]) },
      when: { type: 'timestamp', value: date },
      id: { type: 'uuid', value: '3f9a2c3e-6a4b-4c1d-9e2f-1a2b3c4d5e6f' },
      text: { type: 'string', value: 'héllo ✓ 𝄞' },
    },
    body: utf8Encode('{"a":1}'),
  };
  const encoded = encodeMessage(message);
  out.encoded = toHex(encoded);
  out.crc32 = crc32(encoded);
  out.decoded = messageJson(decodeMessage(encoded));
  const decoder = new MessageDecoder();
  const pieces: unknown[] = [];
  const twice = new Uint8Array(encoded.length * 2);
  twice.set(encoded, 0);
  twice.set(encoded, encoded.length);
  for (let i = 0; i < twice.length; i += 7)
    for (const m of decoder.push(twice.subarray(i, i + 7))) pieces.push(messageJson(m));
  out.streamed = pieces;

  // Transcribe frames: AudioEvent, end of stream, a server TranscriptEvent and an exception.
  const pcm = new Uint8Array(3200);
  for (let i = 0; i < pcm.length; i++) pcm[i] = (i * 13) & 0xff;
  out.audioEvent = toHex(sha256(audioEvent(pcm)));
  out.endOfStream = toHex(endOfStream());
  const transcript = encodeMessage({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: 'TranscriptEvent' },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: utf8Encode(
      '{"Transcript":{"Results":[{"ResultId":"r1","StartTime":0.5,"EndTime":1.25,"IsPartial":false,' +
        '"Alternatives":[{"Transcript":"héllo there","Items":[]}]}]}}',
    ),
  });
  out.transcript = parseServerMessage(decodeMessage(transcript));
  const exception = parseServerMessage(
    decodeMessage(
      encodeMessage({
        headers: {
          ':message-type': { type: 'string', value: 'exception' },
          ':exception-type': { type: 'string', value: 'LimitExceededException' },
          ':content-type': { type: 'string', value: 'application/json' },
        },
        body: utf8Encode('{"Message":"too many streams"}'),
      }),
    ),
  );
  out.exception =
    exception.kind === 'error'
      ? { code: exception.error.code, type: exception.error.exceptionType, message: exception.error.message }
      : exception;

  // DSP, TypeScript backend: 48 kHz stereo Float32 -> 16 kHz Int16 LE, 20 ms chunks, at the
  // service's default quality ('high') and at 'fast'.
  initDsp({ backend: 'js' });
  out.dspBackend = dspBackend();
  const input = signal(48000 / 2, 48000);
  for (const quality of ['high', 'fast'] as const) {
    const p = new PcmPipeline({ from: 48000, to: 16000, channels: 2, quality });
    const parts: Uint8Array[] = [];
    let n = 0;
    for (let i = 0; i < input.length; i += 1920) {
      const b = p.process(input.subarray(i, i + 1920)).slice();
      parts.push(b);
      n += b.length;
    }
    const tail = p.flush().slice();
    parts.push(tail);
    n += tail.length;
    const all = new Uint8Array(n);
    let at = 0;
    for (const b of parts) {
      all.set(b, at);
      at += b.length;
    }
    out[`dsp-${quality}`] = { bytes: n, sha256: toHex(sha256(all)), head: toHex(all.subarray(800, 832)) };
  }
  initDsp({ backend: 'auto' });
  return JSON.stringify(out);
}
