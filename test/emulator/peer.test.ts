// The proof that the emulator is AWS-compatible: the official @aws-sdk/client-transcribe-streaming,
// with @aws-sdk/middleware-websocket's WebSocketFetchHandler on Node 22's global WebSocket, streams a
// WAV file's PCM to it and gets the scripted transcripts back, in both of its modes: signed event
// envelopes (the Node default) and plain AudioEvents (the browser build's pass-through signer).
import { StartStreamTranscriptionCommand } from '@aws-sdk/client-transcribe-streaming';
import type {
  AudioStream,
  TranscribeStreamingClient,
  TranscriptResultStream,
} from '@aws-sdk/client-transcribe-streaming';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sdkClientForEmulator } from '../../bench/scale/sdk-to-emulator.ts';
import { speechLikePcm, startEmulator } from '../../dist/emulator/index.js';
import type { Emulator, EmulatorCredentials } from '../../dist/emulator/index.js';

const SCRIPT = ['Hello from the official client.', 'Second sentence here.'];

/** A 16 kHz mono WAV file of two spoken-like bursts, as a user's recording would be. */
function wavFile(): Uint8Array {
  const pcm = speechLikePcm([
    { silenceMs: 200 },
    { speechMs: 1400 },
    { silenceMs: 800 },
    { speechMs: 1000 },
    { silenceMs: 800 },
  ]);
  const out = new Uint8Array(44 + pcm.length);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string): void => {
    for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + pcm.length, true);
  ascii(8, 'WAVEfmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, 16000, true);
  v.setUint32(28, 32000, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  ascii(36, 'data');
  v.setUint32(40, pcm.length, true);
  out.set(pcm, 44);
  return out;
}

/** The PCM of a WAV file (Transcribe wants raw PCM: no header). */
function wavPcm(wav: Uint8Array): { pcm: Uint8Array; sampleRate: number } {
  const v = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  let at = 12;
  let sampleRate = 0;
  while (at + 8 <= wav.length) {
    const id = String.fromCharCode(wav[at]!, wav[at + 1]!, wav[at + 2]!, wav[at + 3]!);
    const size = v.getUint32(at + 4, true);
    if (id === 'fmt ') sampleRate = v.getUint32(at + 12, true);
    if (id === 'data') return { pcm: wav.subarray(at + 8, at + 8 + size), sampleRate };
    at += 8 + size + (size & 1);
  }
  throw new Error('no data chunk');
}

/** The official client aimed at the emulator (shared with the scale bench's SDK client). */
function sdkClient(
  emu: Emulator,
  signed: boolean,
  credentials: EmulatorCredentials = emu.credentials,
): TranscribeStreamingClient {
  return sdkClientForEmulator({ port: emu.port, credentials, signed, connectionTimeout: 1000 });
}

/**
 * 100 ms chunks, 20x faster than real time. Pacing matters for the SDK: it closes the socket as
 * soon as its input ends, and a WebSocket drops messages that arrive after close() was called.
 */
async function* audioStream(pcm: Uint8Array): AsyncGenerator<AudioStream> {
  for (let i = 0; i < pcm.length; i += 3200) {
    yield { AudioEvent: { AudioChunk: pcm.subarray(i, i + 3200) } };
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function transcribe(
  client: TranscribeStreamingClient,
  pcm: Uint8Array,
  sampleRate: number,
): Promise<{ partials: string[]; finals: string[] }> {
  const response = await client.send(
    new StartStreamTranscriptionCommand({
      LanguageCode: 'en-US',
      MediaEncoding: 'pcm',
      MediaSampleRateHertz: sampleRate,
      EnablePartialResultsStabilization: true,
      PartialResultsStability: 'medium',
      AudioStream: audioStream(pcm),
    }),
  );
  const partials: string[] = [];
  const finals: string[] = [];
  for await (const event of response.TranscriptResultStream as AsyncIterable<TranscriptResultStream>) {
    for (const r of event.TranscriptEvent?.Transcript?.Results ?? []) {
      (r.IsPartial ? partials : finals).push(r.Alternatives?.[0]?.Transcript ?? '');
    }
  }
  return { partials, finals };
}

const peer = suite<{ emu: Emulator }>('official AWS SDK against the emulator');

peer.before(async (ctx) => {
  ctx.emu = await startEmulator({ script: SCRIPT, region: 'us-east-1' });
});
peer.after(async (ctx) => {
  await ctx.emu.close();
});

for (const signed of [true, false]) {
  peer(
    `${signed ? 'signed envelopes (Node default)' : 'plain AudioEvents (browser pass-through)'}: WAV in, scripted ` +
      `transcripts out`,
    async ({ emu }) => {
      const { pcm, sampleRate } = wavPcm(wavFile());
      const next = emu.nextSession();
      const client = sdkClient(emu, signed);
      try {
        const { partials, finals } = await transcribe(client, pcm, sampleRate);
        assert.equal(finals, SCRIPT);
        assert.ok(partials.includes('Hello'), partials.join(' | '));
        assert.ok(partials.includes('Second sentence'), partials.join(' | '));
        const session = await next;
        await session.closed;
        assert.is(session.signed, signed, 'the emulator saw (and verified) the mode the SDK used');
        assert.equal(session.audio, pcm, 'every PCM byte arrived, in order');
        assert.match(session.id, /^[0-9a-f-]{36}$/);
        assert.is(session.query['session-id'], session.id);
        assert.match(session.query['x-amz-user-agent'] ?? '', /^aws-sdk-js\//);
        assert.equal(
          {
            rate: session.query['sample-rate'],
            stab: session.query['enable-partial-results-stabilization'],
            level: session.query['partial-results-stability'],
          },
          { rate: '16000', stab: 'true', level: 'medium' },
        );
      } finally {
        client.destroy();
      }
    },
  );
}

peer('a mid-stream exception reaches the SDK as the modelled error', async ({ emu }) => {
  emu.fault({
    type: 'exception',
    exceptionType: 'InternalFailureException',
    message: 'emulated failure',
    afterFrames: 3,
  });
  const client = sdkClient(emu, true);
  try {
    await transcribe(client, wavPcm(wavFile()).pcm, 16000);
    assert.unreachable('the stream should fail');
  } catch (err) {
    assert.is((err as Error).name, 'InternalFailureException');
    assert.is((err as Error).message, 'emulated failure');
  } finally {
    client.destroy();
  }
});

peer('wrong credentials: the emulator refuses the upgrade and the SDK fails', async ({ emu }) => {
  const before = emu.sessions.length;
  const client = sdkClient(emu, true, { ...emu.credentials, secretAccessKey: 'wrong' });
  try {
    await transcribe(client, speechLikePcm([{ speechMs: 300 }]), 16000);
    assert.unreachable('the handshake should be refused');
  } catch (err) {
    assert.ok(err !== undefined);
  } finally {
    client.destroy();
  }
  assert.is(emu.sessions.length, before, 'no stream was started');
});

peer.run();
