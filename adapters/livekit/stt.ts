/**
 * Amazon Transcribe as a LiveKit Agents STT, in the shape of agents-js's own plugins:
 * `new STT(options)`, `stream()` for the agent's audio, `recognize()` for a buffer,
 * `updateOptions()`, `label`/`provider`/`model`, `metrics_collected` and `error` events.
 */

import type { APIConnectOptions, AudioBuffer, stt } from '@livekit/agents';
import { OptionError } from '../node.js';
import { checkOptions } from './check-options.js';
import type { STTOptions, STTUpdate } from './options.js';
import { withUpdate } from './options.js';
import { agents } from './peers.js';
import { recognizeBuffer } from './recognize.js';
import { SpeechStream } from './speech-stream.js';

export class STT extends agents.stt.STT {
  label: string = 'transcribe-stream.STT';

  #opts: STTOptions;
  readonly #streams = new Set<SpeechStream>();

  /**
   * Options as the service takes them (keys and region fall back to AWS_* variables, then the
   * default chain), plus `language` and `interimResults`. Checked here as a stream's start would
   * check them (check-options.ts): a bad one throws an OptionError now, not at the first connect.
   */
  constructor(opts: STTOptions = {}) {
    super({
      streaming: true,
      interimResults: opts.interimResults ?? true,
      alignedTranscript: 'word',
      diarization: opts.showSpeakerLabel === true,
    });
    checkOptions(opts, this.label);
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
   * Options a stream would be refused with reject with an OptionError and change nothing: they are
   * checked before they are stored, and if a live stream refuses them, the STT keeps what it had.
   */
  async updateOptions(update: STTUpdate): Promise<void> {
    const before = this.#opts;
    const next = withUpdate(before, update);
    checkOptions(next, this.label);
    this.#use(next);
    try {
      await Promise.all([...this.#streams].map((s) => s.updateOptions(update)));
    } catch (err) {
      // A stream's failure while switching leaves the options standing; a refusal does not.
      if (err instanceof OptionError && this.#opts === next) this.#use(before);
      throw err;
    }
  }

  #use(opts: STTOptions): void {
    this.#opts = opts;
    this.updateCapabilities({ diarization: opts.showSpeakerLabel === true });
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
