// The browser matrix page: captures the (fake) microphone with getUserMedia + an AudioWorklet,
// feeds the package's browser entry (the "browser" export condition -> adapters/web.js) with
// credentials from a Cognito identity pool (a stand-in served by the test), shows interim and
// final text, has its stream dropped after the first final, and reports like the file scenario.
import * as pkg from 'transcribe-stream';
import { dspBackend } from 'transcribe-stream/dsp';
import type * as WebAdapter from '../../dist/adapters/web.js';
import type { Frame } from '../../dist/core/index.js';
import { post, ProducedTap, refusedHandshake, ScenarioLog } from './scenario.ts';

const adapter = pkg as unknown as typeof WebAdapter;
const control = location.origin;
const params = new URLSearchParams(location.search);
const $ = (id: string): HTMLElement => document.getElementById(id)!;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

function render(f: Frame): void {
  if (f.type === 'interimTranscription') $('interim').textContent = f.text;
  if (f.type === 'transcription') {
    $('interim').textContent = '';
    const li = document.createElement('li');
    li.textContent = f.text;
    $('finals').append(li);
  }
}

async function main(): Promise<void> {
  if (typeof adapter.webRuntime !== 'function')
    throw new Error('the "browser" export condition did not pick adapters/web.js');
  const stt = new adapter.AWSTranscribeSTTService({
    endpoint: params.get('endpoint')!,
    region: 'us-east-1',
    logger: {},
    credentials: adapter.cognitoCredentials({
      identityPoolId: 'us-east-1:6f6c9a51-0000-4000-8000-matrixmatrix',
      endpoint: `${control}/cognito`,
    }),
  });
  // A browser cannot see why an upgrade was refused: bounded retries, then one fatal error.
  const cognito = await adapter.cognitoCredentials({
    identityPoolId: 'us-east-1:6f6c9a51-0000-4000-8000-matrixmatrix',
    endpoint: `${control}/cognito`,
  })();
  const refused = await refusedHandshake(
    new adapter.AWSTranscribeSTTService({
      endpoint: params.get('endpoint')!,
      logger: {},
      credentials: { ...cognito, secretAccessKey: 'wrong-secret' },
    }),
  );
  const tap = new ProducedTap();
  tap.wrap(stt);
  const log = new ScenarioLog(
    `chromium ${/Chrome\/([\d.]+)/.exec(navigator.userAgent)?.[1] ?? '?'}`,
    dspBackend(),
    stt,
    render,
  );
  log.report.extra.refused = refused;
  const status = (s: string): void => {
    $('status').textContent = s;
  };
  try {
    const media = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 2 },
    });
    const track = media.getAudioTracks()[0]!;
    const ctx = new AudioContext();
    await ctx.audioWorklet.addModule('/capture-worklet.js');
    const source = ctx.createMediaStreamSource(media);
    const node = new AudioWorkletNode(ctx, 'capture', {
      numberOfInputs: 1,
      numberOfOutputs: 0,
      channelCount: 2,
      channelCountMode: 'explicit',
    });
    log.report.extra.audioContextRate = ctx.sampleRate;
    log.report.extra.trackChannels = track.getSettings().channelCount ?? null;
    $('meta').textContent =
      `AudioContext ${ctx.sampleRate} Hz → 16000 Hz · DSP ${dspBackend()} · ${log.report.runtime}`;
    await stt.start({ sampleRate: ctx.sampleRate });
    log.mark('open');
    status('listening');
    node.port.onmessage = (e: MessageEvent<Float32Array>) => {
      if (stt.state === 'running') stt.pushAudio(e.data, { channels: 2 });
    };
    source.connect(node);
    if (ctx.state !== 'running') await ctx.resume();
    await until('the first final transcript', () => log.report.finals.length >= 1, 15_000);
    log.mark('firstFinal');
    // The emulator drops the stream as the next frame arrives: nothing is in flight then.
    await post(control, '/drop?next=1', '');
    await until('the disconnected event', () => log.report.disconnects.length >= 1, 10_000);
    log.mark('dropped');
    status('reconnecting');
    await until('the reconnect', () => log.report.connects >= 2, 10_000);
    log.mark('reconnected');
    status('listening (reconnected)');
    await until('the last final transcript', () => log.report.finals.length >= 3, 20_000);
    log.mark('lastFinal');
    source.disconnect();
    node.port.onmessage = null;
    track.stop();
    await stt.stop();
    await ctx.close();
    log.mark('stopped');
    status(`done: ${log.report.finals.length} finals, ${stt.counters.reconnects} reconnect`);
  } catch (err) {
    log.report.error = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
    status(`failed: ${log.report.error}`);
    stt.cancel();
  }
  const report = log.finish(stt);
  await post(control, '/produced', tap.bytes());
  await post(control, '/result', JSON.stringify(report));
  document.body.dataset.done = 'true';
}

void main();
