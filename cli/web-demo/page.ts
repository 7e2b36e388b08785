/**
 * The web demo's page (bundled by server.ts with esbuild when the demo starts): the microphone
 * through an AudioWorklet into the URL-only service, whose every stream URL comes from the demo
 * server (presignedUrlHandler). It shows the live interim line, the finals, a level meter and the
 * connection: connects, drops, reconnects. Imported as a user would: by the package's name.
 */

import { AWSTranscribeSTTService, presignedUrlProvider } from 'transcribe-stream/web-presigned';

const $ = (id: string): HTMLElement => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el;
};

type PageState = 'idle' | 'starting' | 'listening' | 'reconnecting' | 'stopping' | 'stopped' | 'failed';

function show(state: PageState, text: string): void {
  document.body.dataset.state = state;
  $('status').textContent = text;
}

/** One line in the connection log (newest last, at most 20). */
function logEvent(text: string): void {
  const list = $('events');
  const li = document.createElement('li');
  li.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  list.append(li);
  while (list.children.length > 20) list.firstElementChild?.remove();
}

/** RMS of a chunk as 0..1 on a -60..0 dBFS scale, for the meter. */
function level(samples: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  const dbfs = 10 * Math.log10(sum / Math.max(1, samples.length) + 1e-12);
  return Math.min(1, Math.max(0, (dbfs + 60) / 60));
}

interface Capture {
  rate: number;
  stop(): Promise<void>;
}

/** The microphone, as Float32 chunks to `onChunk`. */
async function capture(onChunk: (samples: Float32Array) => void): Promise<Capture> {
  const media = await navigator.mediaDevices.getUserMedia({
    audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 },
  });
  const ctx = new AudioContext();
  await ctx.audioWorklet.addModule('/capture-worklet.js');
  const source = ctx.createMediaStreamSource(media);
  const node = new AudioWorkletNode(ctx, 'capture', {
    numberOfInputs: 1,
    numberOfOutputs: 0,
    channelCount: 1,
    channelCountMode: 'explicit',
  });
  node.port.onmessage = (e: MessageEvent<Float32Array>) => onChunk(e.data);
  source.connect(node);
  if (ctx.state !== 'running') await ctx.resume();
  return {
    rate: ctx.sampleRate,
    async stop() {
      node.port.onmessage = null;
      source.disconnect();
      for (const track of media.getTracks()) track.stop();
      await ctx.close();
    },
  };
}

function newService(): AWSTranscribeSTTService {
  const stt = new AWSTranscribeSTTService({
    url: presignedUrlProvider('/transcribe-url'),
    logger: { warn: (m) => logEvent(`warning: ${m}`) },
  });
  stt.on('interimTranscription', (f) => ($('interim').textContent = f.text));
  stt.on('transcription', (f) => {
    $('interim').textContent = '';
    const li = document.createElement('li');
    li.textContent = f.text;
    $('finals').append(li);
  });
  stt.on('connected', (e) => {
    const reconnects = stt.counters.reconnects;
    logEvent(`connected: stream ${e.streamNumber}`);
    show('listening', reconnects === 0 ? 'listening' : `listening · reconnected ${reconnects}×`);
  });
  stt.on('disconnected', (e) => {
    logEvent(`disconnected (code ${e.code})${e.willReconnect ? ', reconnecting…' : ''}`);
    if (e.willReconnect) show('reconnecting', 'reconnecting…');
  });
  stt.on('connectionError', (e) => {
    logEvent(`${e.error.code}: ${e.error.message}${e.willRetry ? ` (attempt ${e.attempt}, retrying)` : ''}`);
    if (e.willRetry) show('reconnecting', `reconnecting (attempt ${e.attempt})…`);
  });
  stt.on('error', (f) => {
    if (f.fatal) show('failed', `failed: ${f.error.code}`);
  });
  return stt;
}

let running: { stt: AWSTranscribeSTTService; mic: Capture } | undefined;

async function start(): Promise<void> {
  ($('start') as HTMLButtonElement).disabled = true;
  show('starting', 'connecting…');
  const stt = newService();
  const meter = $('level');
  try {
    const mic = await capture((samples) => {
      meter.style.width = `${Math.round(level(samples) * 100)}%`;
      if (stt.state === 'running') stt.pushAudio(samples);
    });
    running = { stt, mic };
    $('meta').textContent = `microphone at ${mic.rate} Hz, resampled to 16000 Hz in the page`;
    await stt.start({ sampleRate: mic.rate });
    ($('stop') as HTMLButtonElement).disabled = false;
  } catch (err) {
    show('failed', `failed: ${err instanceof Error ? err.message : String(err)}`);
    await stop();
  }
}

async function stop(): Promise<void> {
  const r = running;
  running = undefined;
  ($('stop') as HTMLButtonElement).disabled = true;
  if (r) {
    if (document.body.dataset.state !== 'failed') show('stopping', 'stopping…');
    await r.mic.stop();
    const result = await r.stt.stop();
    if (document.body.dataset.state !== 'failed')
      show('stopped', result.complete ? 'stopped' : `stopped early: ${result.error?.code ?? ''}`);
  }
  $('level').style.width = '0';
  ($('start') as HTMLButtonElement).disabled = false;
}

$('start').addEventListener('click', () => void start());
$('stop').addEventListener('click', () => void stop());
