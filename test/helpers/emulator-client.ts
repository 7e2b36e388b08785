// A test client of the emulator's stream (Node 22's global WebSocket): connects with a presigned
// URL, decodes every message it gets, and sends AudioEvents; shared by the emulator stream tests.
import * as assert from 'uvu/assert';
import { audioEvent, endOfStream, MessageDecoder, transcribeUrl, utf8Decode } from '../../dist/core/index.js';
import type { Message, TranscribeUrlOptions, TranscriptResult } from '../../dist/core/index.js';
import { speechLikePcm, startEmulator } from '../../dist/emulator/index.js';
import type { AudioSegment, Emulator, EmulatorOptions, EmulatorSession } from '../../dist/emulator/index.js';
import { concatBytes } from './bytes.ts';

export type Received =
  | { kind: 'transcript'; result: TranscriptResult; raw: unknown }
  | { kind: 'exception'; type: string; message: string };

export interface Client {
  ws: WebSocket;
  url: string;
  session: EmulatorSession;
  received: Received[];
  closed: Promise<{ code: number; wasClean: boolean }>;
  /** Sends `pcm` as AudioEvents of `chunkMs` (16-bit, the session's rate and channels). */
  sendAudio(pcm: Uint8Array, chunkBytes?: number): void;
}

/** The presigned URL of a stream to `emu`: 16 kHz, en-US (unless `o` identifies the language), then `o`. */
export function streamUrl(emu: Emulator, o: Partial<TranscribeUrlOptions> = {}): string {
  return transcribeUrl({
    region: 'us-east-1',
    credentials: emu.credentials,
    endpoint: emu.endpoint,
    sampleRate: 16000,
    ...(o.identifyLanguage || o.identifyMultipleLanguages ? {} : { languageCode: 'en-US' }),
    ...o,
  } as TranscribeUrlOptions);
}

/**
 * A WebSocket to `url`, once open (rejects if the handshake is refused): binary messages decoded
 * into event-stream messages for `onMessage` (none decoded without it), `closed` resolving with the
 * close.
 */
export async function openStream(
  url: string,
  onMessage?: (m: Message) => void,
): Promise<{ ws: WebSocket; closed: Promise<{ code: number; wasClean: boolean }> }> {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  if (onMessage) {
    const decoder = new MessageDecoder();
    ws.onmessage = (e) => {
      for (const m of decoder.push(new Uint8Array(e.data as ArrayBuffer))) onMessage(m);
    };
  }
  const closed = new Promise<{ code: number; wasClean: boolean }>(
    (resolve) => (ws.onclose = (e) => resolve({ code: e.code, wasClean: e.wasClean })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error('handshake refused'));
  });
  return { ws, closed };
}

export async function connect(emu: Emulator, o: Partial<TranscribeUrlOptions> = {}): Promise<Client> {
  const url = streamUrl(emu, o);
  const next = emu.nextSession();
  const received: Received[] = [];
  const { ws, closed } = await openStream(url, (m) => received.push(classify(m)));
  const session = await next;
  return {
    ws,
    url,
    session,
    received,
    closed,
    sendAudio(pcm, chunkBytes = 3200) {
      for (let i = 0; i < pcm.length; i += chunkBytes) send(ws, audioEvent(pcm.subarray(i, i + chunkBytes)));
    },
  };
}

export function classify(m: Message): Received {
  const header = (n: string): string => {
    const h = m.headers[n];
    return h && h.type === 'string' ? h.value : '';
  };
  const json = JSON.parse(utf8Decode(m.body)) as { Transcript?: { Results: TranscriptResult[] }; Message?: string };
  if (header(':message-type') === 'exception')
    return { kind: 'exception', type: header(':exception-type'), message: json.Message ?? '' };
  assert.is(header(':event-type'), 'TranscriptEvent');
  assert.is(header(':content-type'), 'application/json');
  assert.is(json.Transcript!.Results.length, 1);
  return { kind: 'transcript', result: json.Transcript!.Results[0]!, raw: json };
}

/** WebSocket.send's DOM type wants ArrayBuffer-backed views; ours are. */
export const send = (ws: WebSocket, data: Uint8Array | string): void =>
  ws.send(data as Uint8Array<ArrayBuffer> | string);
export const results = (c: Client): TranscriptResult[] =>
  c.received.flatMap((r) => (r.kind === 'transcript' ? [r.result] : []));
export const exceptions = (c: Client): { type: string; message: string }[] =>
  c.received.flatMap((r) => (r.kind === 'exception' ? [{ type: r.type, message: r.message }] : []));
export const concat = (...parts: Uint8Array[]): Uint8Array => concatBytes(parts);
export const pcm = (segments: AudioSegment[], channels = 1, sampleRate = 16000): Uint8Array =>
  speechLikePcm(segments, { channels, sampleRate });

export async function withEmulator(opts: EmulatorOptions, fn: (emu: Emulator) => Promise<void>): Promise<void> {
  const emu = await startEmulator(opts);
  try {
    await fn(emu);
  } finally {
    await emu.close();
  }
}

/** Ends the stream with the empty AudioEvent and waits for the close. */
export async function finish(c: Client): Promise<{ code: number; wasClean: boolean }> {
  send(c.ws, endOfStream());
  return c.closed;
}
