/**
 * Amazon Transcribe as a LiveKit Agents STT, in the shape of agents-js's own plugins:
 * `new STT(options)`, `stream()` for the agent's audio, `recognize()` for a buffer,
 * `updateOptions()`, `label`/`provider`/`model`, `metrics_collected` and `error` events.
 */

import type { APIConnectOptions, AudioBuffer, stt } from '@livekit/agents';
import { AWSTranscribeSTTService } from '../node.js';
import type { STTOptions, STTUpdate } from './options.js';
import { serviceOptions, withUpdate } from './options.js';
import { agents } from './peers.js';
import { recognizeBuffer } from './recognize.js';
import { SpeechStream } from './speech-stream.js';

export class STT extends agents.stt.STT {
  label: string = 'transcribe-stream.STT';

  #opts: STTOptions;
  readonly #streams = new Set<SpeechStream>();

  /**
   * Options as the service takes them (keys and region fall back to AWS_* variables, then the
   * default chain), plus `language` and `interimResults`. Ranges and the language are checked
   * here (by building a service that is never started): a bad one throws now, not at the first connect.
   */
  constructor(opts: STTOptions = {}) {
    super({
      streaming: true,
      interimResults: opts.interimResults ?? true,
      alignedTranscript: 'word',
      diarization: opts.showSpeakerLabel === true,
    });
    new AWSTranscribeSTTService(serviceOptions(opts, this.label));
    this.#opts = { ...opts };
  }

  /** The options new streams start with. */
  get options(): Readonly<STTOptions> {
    return this.#opts;
  }

  /** `settings.model`, else the custom language model, else 'unknown' (as the framework's metrics expect). */
  override get model(): string {
    return this.#opts.settings?.model ?? this.#opts.languageModelName ?? 'unknown';
  }

  override get provider(): string {
    return 'Amazon Transcribe';
  }

  /** `connOptions.maxRetry` becomes the service's reconnect attempts per incident (see errors.ts). */
  stream(options?: { connOptions?: APIConnectOptions }): SpeechStream {
    const stream = new SpeechStream(this, this.#opts, options?.connOptions, (s) => this.#streams.delete(s));
    this.#streams.add(stream);
    return stream;
  }

  /**
   * Change language, model or stream parameters: for the streams to come, and for the live ones,
   * which switch to a new AWS stream at a pause without losing audio (only if something changed).
   */
  async updateOptions(update: STTUpdate): Promise<void> {
    const next = withUpdate(this.#opts, update);
    new AWSTranscribeSTTService(serviceOptions(next, this.label));
    this.#opts = next;
    this.updateCapabilities({ diarization: next.showSpeakerLabel === true });
    await Promise.all([...this.#streams].map((s) => s.updateOptions(update)));
  }

  protected async _recognize(buffer: AudioBuffer, abortSignal?: AbortSignal): Promise<stt.SpeechEvent> {
    return recognizeBuffer(buffer, this.#opts, this.label, abortSignal);
  }

  /** Closes the streams still open. */
  override async close(): Promise<void> {
    for (const s of this.#streams) s.close();
    this.#streams.clear();
  }
}
