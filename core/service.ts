/**
 * AWSTranscribeSTTService: Pipecat's service of the same name, transport-agnostic. Audio in at any
 * rate, Int16 or Float32, mono or interleaved stereo; interim and final transcripts out as events
 * and as an async iterator of frames. The socket, credentials, DSP and clock come from the adapter.
 *
 * Audio path (nothing allocated per frame): input -> pipeline (downmix, resample, Int16 LE) ->
 * framer (steady 50–200 ms frames) -> the open stream, or the backlog while none is open.
 */

import { AudioBacklog, AudioFramer } from './audio-framer.js';
import { audioEventLength } from './audio-event.js';
import { CredentialCache } from './credentials.js';
import { ServiceEmitter } from './emitter.js';
import { TranscribeError } from './errors.js';
import type { Frame, ServiceEvents } from './frames.js';
import { AudioClock, LatencyStats } from './metrics.js';
import type { AudioPipeline, AWSTranscribeSettings, AWSTranscribeSTTServiceOptions, Logger, ServiceRuntime, StreamParameters } from './service-options.js';
import {
  DEFAULT_TTFS_P99,
  MAX_STREAM_MS,
  resolveCredentials,
  resolveLanguageCode,
  resolveRegion,
  validateServiceOptions,
  wireRate,
} from './service-options.js';
import type { ServiceHost } from './service-host.js';
import { SessionRouter, streamUrl } from './session-router.js';
import { StereoPipeline } from './stereo-pipeline.js';

export type ServiceState = 'idle' | 'running' | 'stopping' | 'stopped' | 'failed';

export interface PushAudioOptions {
  /** Rate of this chunk (default: the rate given to `start`). */
  sampleRate?: number;
  /** 1 (default) or 2 (interleaved stereo, downmixed). */
  channels?: 1 | 2;
}

export interface ServiceCounters {
  /** Streams opened after the first one: reconnects, settings changes and rotations. */
  reconnects: number;
  /** Seconds of audio held in the backlog while no stream was open. */
  bufferedSeconds: number;
  /** Seconds of audio dropped because the backlog was full or the service had failed. */
  droppedSeconds: number;
  /** Seconds of silence sent by keep-alive. */
  keepAliveSeconds: number;
  /** Seconds of audio sent to the service in all. */
  sentSeconds: number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const quiet: Logger = { warn: (m) => console.warn(`[transcribe-stream] ${m}`) };

declare const console: { warn(message: string): void };

export class AWSTranscribeSTTService implements ServiceHost {
  readonly options: Readonly<AWSTranscribeSTTServiceOptions>;
  readonly runtime: ServiceRuntime;
  readonly log: Logger;
  readonly emitter: ServiceEmitter;
  readonly ttfs: LatencyStats = new LatencyStats();
  readonly audioClock: AudioClock = new AudioClock();
  readonly counters: ServiceCounters = { reconnects: 0, bufferedSeconds: 0, droppedSeconds: 0, keepAliveSeconds: 0, sentSeconds: 0 };

  settings: AWSTranscribeSettings;
  params: StreamParameters;
  region: string;
  languageCode: string | undefined;
  wireRate: 8000 | 16000 = 16000;
  /** 2 with channel identification (interleaved stereo on the wire), else 1. */
  wireChannels: 1 | 2 = 1;
  userId = '';
  credentials: CredentialCache | undefined;
  framer: AudioFramer | undefined;
  backlog: AudioBacklog | undefined;

  #state: ServiceState = 'idle';
  #inputRate = 16000;
  #muted = false;
  #router: SessionRouter | undefined;
  #pipeline: AudioPipeline | undefined;
  #pipelineKey = '';
  #carry = -1;
  #int16Scratch = new Int16Array(0);
  #zeros: ArrayBuffer = new ArrayBuffer(0);
  #warnedLanguage = false;
  readonly #onFrame = (frame: Uint8Array): void => this.#router?.frame(frame);

  constructor(options: AWSTranscribeSTTServiceOptions, runtime: ServiceRuntime) {
    validateServiceOptions(options);
    this.options = options;
    this.runtime = runtime;
    this.log = options.logger ?? quiet;
    this.emitter = new ServiceEmitter((err) => this.log.error?.(`a listener threw: ${String(err)}`));
    this.settings = { ...options.settings };
    this.params = streamParameters(options);
    this.region = resolveRegion(options, runtime.env);
    if (options.language !== undefined) this.#warnLanguageOnce();
    this.languageCode = this.#languageFor(this.settings, this.params);
  }

  get state(): ServiceState {
    return this.#state;
  }

  /** Wire bytes per second of audio. */
  get bytesPerSecond(): number {
    return this.wireRate * 2 * this.wireChannels;
  }

  get muted(): boolean {
    return this.#muted;
  }

  /** Running TTFS percentiles in seconds (undefined before the first final). */
  get ttfsP50(): number | undefined {
    return this.ttfs.percentile(50);
  }

  get ttfsP99(): number | undefined {
    return this.ttfs.percentile(99);
  }

  on<K extends keyof ServiceEvents>(name: K, fn: (payload: ServiceEvents[K]) => void): () => void {
    return this.emitter.on(name, fn);
  }

  /** Every frame from now on, until `stop()`/`cancel()` or a fatal error ends the iteration. */
  frames(): AsyncIterableIterator<Frame> {
    return this.emitter.frames();
  }

  /**
   * Connect. `sampleRate` is the rate of the audio you will push (the pipeline's rate). Resolves
   * once the first stream is open or the service gave up (an `error` frame says why); rejects only
   * on misuse or bad configuration.
   */
  async start(o: { sampleRate: number; userId?: string }): Promise<void> {
    if (this.#state === 'running' || this.#state === 'stopping') {
      throw new TranscribeError('ALREADY_STARTED', 'start() called while the service is running; call stop() first');
    }
    checkRate(o?.sampleRate, 'start({ sampleRate })');
    this.#inputRate = o.sampleRate;
    this.userId = o.userId ?? '';
    const requested = this.options.sampleRate ?? o.sampleRate;
    this.wireRate = wireRate(requested);
    if (requested !== this.wireRate) {
      this.log.warn?.(`Amazon Transcribe streams at 8000 or 16000 Hz; ${requested} Hz audio will be resampled to 16000 Hz`);
    }
    this.credentials = new CredentialCache(resolveCredentials(this.options, this.runtime), this.now);
    this.wireChannels = this.params.enableChannelIdentification && this.params.numberOfChannels === 2 ? 2 : 1;
    const frameBytes = ((this.wireRate * (this.options.frameMs ?? 100)) / 1000) * 2 * this.wireChannels;
    this.framer = new AudioFramer(frameBytes);
    this.backlog = new AudioBacklog((this.options.bufferSeconds ?? 15) * this.bytesPerSecond);
    this.#checkStreamParameters(this.params, this.languageCode);
    this.#pipeline = undefined;
    this.#pipelineKey = '';
    this.#carry = -1;
    this.#state = 'running';
    const router = new SessionRouter(this, new Uint8Array(audioEventLength(frameBytes)));
    this.#router = router;
    this.#emit({
      type: 'metadata',
      serviceName: 'AWSTranscribeSTTService',
      ttfsP99Latency: this.options.ttfsP99Latency ?? DEFAULT_TTFS_P99,
      model: this.settings.model,
      language: this.languageCode,
      sampleRate: this.wireRate,
      timestamp: new Date(this.now()).toISOString(),
    });
    await router.start();
  }

  /**
   * Send audio: `Int16Array`, `Float32Array` (-1..1) or `Uint8Array` (16-bit LE bytes; an odd
   * trailing byte waits for the next call). Never throws for network trouble: audio is buffered
   * while reconnecting.
   */
  pushAudio(audio: Int16Array | Float32Array | Uint8Array, o: PushAudioOptions = {}): void {
    if (!(audio instanceof Int16Array || audio instanceof Float32Array || audio instanceof Uint8Array)) {
      throw new TypeError(
        `pushAudio expects an Int16Array, a Float32Array or a Uint8Array of 16-bit little-endian PCM, got ${describe(audio)}`,
      );
    }
    if (this.#state === 'idle') {
      throw new TranscribeError('NOT_STARTED', 'pushAudio() before start(): call `await stt.start({ sampleRate })` first');
    }
    if (this.#state === 'stopping' || this.#state === 'stopped') {
      throw new TranscribeError('STOPPED', 'pushAudio() after stop()/cancel(): call start() again to begin a new stream');
    }
    const rate = o.sampleRate ?? this.#inputRate;
    const channels = o.channels ?? 1;
    if (o.sampleRate !== undefined) checkRate(rate, 'pushAudio({ sampleRate })');
    if (channels !== 1 && channels !== 2) throw new TypeError(`pushAudio: channels must be 1 or 2, got ${String(channels)}`);
    if (this.wireChannels === 2 && channels !== 2) {
      throw new TypeError('pushAudio: channel identification needs interleaved stereo input: pass { channels: 2 }');
    }
    let input: Int16Array | Float32Array | undefined = audio instanceof Uint8Array ? this.#fromBytes(audio) : audio;
    if (!input || input.length === 0) return;
    if (this.#state === 'failed') {
      this.counters.droppedSeconds += input.length / channels / rate;
      return;
    }
    this.#router!.audioPushed();
    if (this.#muted) input = this.#silence(input);
    let bytes: Uint8Array;
    if (rate === this.wireRate && channels === this.wireChannels && input instanceof Int16Array && LITTLE_ENDIAN) {
      bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    } else {
      bytes = this.#pipelineFor(rate, channels).process(input);
    }
    this.framer!.push(bytes, this.#onFrame);
  }

  /** Apply a settings delta; reconnects (without losing audio) only if something changed. */
  async updateSettings(delta: AWSTranscribeSettings & StreamParameters): Promise<boolean> {
    const { model, language, ...params } = delta;
    const settings: AWSTranscribeSettings = { ...this.settings };
    if (model !== undefined) settings.model = model;
    if (language !== undefined) settings.language = language;
    const nextParams: StreamParameters = { ...this.params, ...params };
    const nextLanguage = this.#languageFor(settings, nextParams);
    const changed = nextLanguage !== this.languageCode || !sameParams(nextParams, this.params);
    if (changed) this.#checkStreamParameters(nextParams, nextLanguage);
    this.settings = settings;
    if (!changed) return false;
    this.params = nextParams;
    this.languageCode = nextLanguage;
    if (this.#state === 'running') await this.#router!.switchStream('settings');
    return true;
  }

  /** While muted the service hears silence: the stream and its timing go on. */
  mute(): void {
    this.#muted = true;
  }

  unmute(): void {
    this.#muted = false;
  }

  /** Tell the service the user stopped speaking (from a VAD): TTFS is measured from here. */
  userStoppedSpeaking(): void {
    this.#router?.userStoppedSpeaking();
  }

  /** Flush, send the empty AudioEvent, wait (bounded) for the last finals, close. */
  async stop(): Promise<void> {
    if (this.#state !== 'running' && this.#state !== 'failed') return;
    const failed = this.#state === 'failed';
    this.#state = 'stopping';
    if (!failed) {
      if (this.#pipeline) this.framer!.push(this.#pipeline.flush(), this.#onFrame);
      this.framer!.flush(this.#onFrame);
      await this.#router!.stop(this.options.stopTimeoutMs ?? 5000);
    }
    this.#finish();
  }

  /** Close now, dropping unsent audio and pending results. */
  cancel(): void {
    if (this.#state === 'idle' || this.#state === 'stopped') return;
    this.#router?.cancel();
    this.#finish();
  }

  // ---- ServiceHost: what the session router calls back -------------------------------------------------

  readonly now: () => number = () => (this.runtime.now ?? Date.now)();

  isRunning(): boolean {
    return this.#state === 'running' || this.#state === 'stopping';
  }

  maxStreamMs(): number {
    return this.options.maxStreamDurationMs ?? MAX_STREAM_MS - 60_000;
  }

  emitFrame(frame: Frame): void {
    this.#emit(frame);
  }

  /** The service gave up: report once, stop accepting audio, end the iterators. */
  fail(error: TranscribeError): void {
    if (this.#state !== 'running' && this.#state !== 'stopping') return;
    if (this.#state === 'running') this.#state = 'failed';
    this.#emit({ type: 'error', error, fatal: true, timestamp: new Date(this.now()).toISOString() });
    this.emitter.end();
  }

  // ---- internals --------------------------------------------------------------------------------------

  #emit(frame: Frame): void {
    this.emitter.enqueue(frame);
    this.emitter.emit(frame.type, frame as never);
    if (frame.type === 'error' && this.emitter.listenerCount('error') === 0 && !this.emitter.iterating) {
      this.log.error?.(frame.error.toString());
    }
  }

  #finish(): void {
    this.#state = 'stopped';
    this.#router = undefined;
    this.emitter.end();
  }

  /**
   * Bad stream parameters are configuration errors: an `OptionError` now (start() or
   * updateSettings() rejects), not a fatal error frame at the next connect. Signs with a
   * throwaway key; nothing is sent.
   */
  #checkStreamParameters(params: StreamParameters, languageCode: string | undefined): void {
    const settings = { params, languageCode, region: this.region, wireRate: this.wireRate, now: this.now };
    streamUrl(settings, { accessKeyId: 'AKIDVALIDATION', secretAccessKey: 'validation-only' }, params.sessionId);
  }

  #languageFor(settings: AWSTranscribeSettings, params: StreamParameters): string | undefined {
    if (params.identifyLanguage || params.identifyMultipleLanguages) return undefined;
    return resolveLanguageCode(this.options, settings);
  }

  #warnLanguageOnce(): void {
    if (this.#warnedLanguage) return;
    this.#warnedLanguage = true;
    this.log.warn?.('the `language` option is deprecated; use `settings: { language }` instead');
  }

  #pipelineFor(rate: number, channels: 1 | 2): AudioPipeline {
    const key = `${rate}/${channels}`;
    if (this.#pipeline && this.#pipelineKey === key) return this.#pipeline;
    const create = this.runtime.createAudioPipeline;
    if (!create) {
      throw new TranscribeError(
        'INVALID_AUDIO',
        `audio at ${rate} Hz with ${channels} channel(s) needs converting to ${this.wireRate} Hz 16-bit with ${this.wireChannels} channel(s), and no DSP is available; ` +
          `push exactly that or use the package entry point for your runtime`,
      );
    }
    // The previous pipeline's held-back samples belong before the new audio.
    if (this.#pipeline) this.framer!.push(this.#pipeline.flush(), this.#onFrame);
    this.#pipeline = this.wireChannels === 2 ? new StereoPipeline(create, rate, this.wireRate) : create({ from: rate, to: this.wireRate, channels });
    this.#pipelineKey = key;
    return this.#pipeline;
  }

  /** 16-bit LE bytes -> Int16Array, carrying an odd byte to the next call. */
  #fromBytes(bytes: Uint8Array): Int16Array | undefined {
    const carry = this.#carry;
    const total = bytes.length + (carry >= 0 ? 1 : 0);
    const samples = total >> 1;
    const odd = (total & 1) === 1;
    if (samples === 0) {
      if (odd) this.#carry = bytes.length ? bytes[0]! : carry;
      return undefined;
    }
    if (carry < 0 && LITTLE_ENDIAN && (bytes.byteOffset & 1) === 0) {
      this.#carry = odd ? bytes[bytes.length - 1]! : -1;
      return new Int16Array(bytes.buffer, bytes.byteOffset, samples);
    }
    if (this.#int16Scratch.length < samples) this.#int16Scratch = new Int16Array(Math.max(samples, 4096));
    const out = this.#int16Scratch.subarray(0, samples);
    let j = 0;
    let lo = carry;
    for (let i = 0; i < samples; i++) {
      if (lo < 0) lo = bytes[j++]!;
      const hi = bytes[j++]!;
      out[i] = ((hi << 24) >> 16) | lo;
      lo = -1;
    }
    this.#carry = odd ? bytes[bytes.length - 1]! : -1;
    return out;
  }

  /** Zeros of the same type and length as `like` (a shared buffer of zero bytes, never written). */
  #silence(like: Int16Array | Float32Array): Int16Array | Float32Array {
    const bytes = like.length * 4;
    if (this.#zeros.byteLength < bytes) this.#zeros = new ArrayBuffer(Math.max(bytes, 16384));
    return like instanceof Int16Array ? new Int16Array(this.#zeros, 0, like.length) : new Float32Array(this.#zeros, 0, like.length);
  }
}

function checkRate(rate: unknown, where: string): void {
  if (typeof rate !== 'number' || !Number.isInteger(rate) || rate < 8000 || rate > 192_000) {
    throw new TypeError(`${where}: sample rate must be an integer from 8000 to 192000 Hz, got ${String(rate)}`);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return (v as { constructor?: { name?: string } }).constructor?.name ?? 'object';
}

/** The StartStreamTranscription parameters among the options (everything that is not service-level). */
function streamParameters(o: AWSTranscribeSTTServiceOptions): StreamParameters {
  const {
    apiKey: _a, awsAccessKeyId: _b, awsSessionToken: _c, region: _d, credentials: _e, sampleRate: _f, language: _g,
    settings: _h, ttfsP99Latency: _i, frameMs: _j, stopTimeoutMs: _k, logger: _l, reconnectOnError: _m,
    maxReconnectAttempts: _n, bufferSeconds: _o, keepAliveMs: _p, maxStreamDurationMs: _q, idleTimeoutMs: _r, ...params
  } = o;
  return params;
}

function sameParams(a: StreamParameters, b: StreamParameters): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const x = (a as Record<string, unknown>)[k];
    const y = (b as Record<string, unknown>)[k];
    if (JSON.stringify(x) !== JSON.stringify(y)) return false;
  }
  return true;
}
