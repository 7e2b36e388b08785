/**
 * The service's transcripts as the framework's SpeechEvents, in the order agents-js expects.
 *
 * Amazon Transcribe has no voice-activity events, so speech boundaries come from its results:
 * a result (an utterance segment, `ResultId`) starts with partials and ends with one final. The
 * first partial (or a lone final) of a segment is START_OF_SPEECH; its final is FINAL_TRANSCRIPT
 * then END_OF_SPEECH. With channel identification each channel has its own segments; speech
 * starts when the first channel's opens and ends when the last open one closes, so the events
 * stay paired. START_OF_SPEECH comes when AWS first hears words (a few hundred ms into the speech) and
 * END_OF_SPEECH when AWS closes the segment (after its own endpointing pause).
 *
 * RECOGNITION_USAGE reports the seconds of audio the stream took in: every 5 s of wall time
 * (as agents-js's Deepgram plugin and LiveKit's Python AWS plugin do), on flush() and at the end.
 */

import type { stt } from '@livekit/agents';
import type { InterimTranscriptionFrame, TranscriptionFrame } from '../node.js';
import { agents } from './peers.js';
import { speechData } from './speech-data.js';

const USAGE_EVERY_MS = 5000;

/**
 * The channels AWS sends: none without channel identification, ch_0 and ch_1 with it. Any other
 * id counts as the default one, as in the service's own de-duplication: what is kept per channel
 * stays bounded whatever ids a server makes up, and a segment opened under such an id is closed
 * by its final whatever id that carries.
 */
const CHANNELS: readonly string[] = ['', 'ch_0', 'ch_1'];

function channelOf(frame: InterimTranscriptionFrame | TranscriptionFrame): string {
  const id = frame.result.ChannelId ?? '';
  return CHANNELS.includes(id) ? id : '';
}

export class SpeechEvents {
  /** The AWS session id of the stream that carries the audio now (set on each connect). */
  requestId = '';

  readonly #put: (event: stt.SpeechEvent) => void;
  readonly #interim: boolean;
  readonly #offset: () => number;
  readonly #now: () => number;
  /** Channels (one of CHANNELS) inside a segment. */
  readonly #speaking = new Set<string>();
  #audioSeconds = 0;
  #usageAt: number;
  /** The last interim text per channel (one of CHANNELS). */
  readonly #lastInterim = new Map<string, string>();

  constructor(o: {
    put: (event: stt.SpeechEvent) => void;
    interimResults: boolean;
    offset: () => number;
    now?: () => number;
  }) {
    this.#put = o.put;
    this.#interim = o.interimResults;
    this.#offset = o.offset;
    this.#now = o.now ?? Date.now;
    this.#usageAt = this.#now();
  }

  get speaking(): boolean {
    return this.#speaking.size > 0;
  }

  interim(frame: InterimTranscriptionFrame): void {
    const channel = channelOf(frame);
    this.#started(channel);
    // The service passes on partials whose items only became stable; SpeechData has no
    // stability, so for the framework those repeat the text and are left out.
    if (this.#lastInterim.get(channel) === frame.text) return;
    this.#lastInterim.set(channel, frame.text);
    if (this.#interim) this.#transcript(agents.stt.SpeechEventType.INTERIM_TRANSCRIPT, frame);
  }

  final(frame: TranscriptionFrame): void {
    const channel = channelOf(frame);
    this.#lastInterim.delete(channel);
    this.#started(channel);
    this.#transcript(agents.stt.SpeechEventType.FINAL_TRANSCRIPT, frame);
    this.#speaking.delete(channel);
    if (this.#speaking.size === 0)
      this.#put({ type: agents.stt.SpeechEventType.END_OF_SPEECH, requestId: this.requestId });
  }

  /** `seconds` more audio went in. */
  audio(seconds: number): void {
    this.#audioSeconds += seconds;
    if (this.#now() - this.#usageAt >= USAGE_EVERY_MS) this.usage();
  }

  /** Report the audio taken in since the last report (nothing when none). */
  usage(): void {
    this.#usageAt = this.#now();
    const audioDuration = this.#audioSeconds;
    if (audioDuration <= 0) return;
    this.#audioSeconds = 0;
    this.#put({
      type: agents.stt.SpeechEventType.RECOGNITION_USAGE,
      requestId: this.requestId,
      recognitionUsage: { audioDuration },
    });
  }

  /** The input ended: close segments no final closed (a stop that timed out), then the last usage. */
  end(): void {
    if (this.#speaking.size > 0)
      this.#put({ type: agents.stt.SpeechEventType.END_OF_SPEECH, requestId: this.requestId });
    this.#speaking.clear();
    this.usage();
  }

  #started(channel: string): void {
    if (this.#speaking.has(channel)) return;
    this.#speaking.add(channel);
    if (this.#speaking.size === 1)
      this.#put({ type: agents.stt.SpeechEventType.START_OF_SPEECH, requestId: this.requestId });
  }

  #transcript(type: stt.SpeechEventType, frame: InterimTranscriptionFrame | TranscriptionFrame): void {
    const data = speechData(frame.result, frame.text, frame.language, this.#offset());
    this.#put({ type, requestId: this.requestId, alternatives: [data] });
  }
}
