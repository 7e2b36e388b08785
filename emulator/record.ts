/**
 * What the emulator keeps of one stream (the `EmulatorSession` users read): identity, counters,
 * the audio received and the events sent. It holds nothing of the live stream (socket, decoder,
 * recognizer, timers), so keeping it after the stream ended keeps only what `retain` allows.
 */
import { EmulatorError } from './errors.js';
import type { EmulatorSession, SentEvent } from './types.js';

/** The emulator-wide account of what sessions keep (see retention.ts). */
export interface RecordLedger {
  audioAdded(record: SessionRecord, bytes: number): void;
  eventAdded(record: SessionRecord): void;
  ended(record: SessionRecord): void;
}

export interface RecordInit {
  id: string;
  requestId: string;
  query: Readonly<Record<string, string>>;
  medical: boolean;
  /** Why the audio / events are not kept, when they are not kept from the start. */
  noAudio: string | undefined;
  noEvents: string | undefined;
}

export class SessionRecord implements EmulatorSession {
  readonly id: string;
  readonly requestId: string;
  readonly query: Readonly<Record<string, string>>;
  readonly medical: boolean;
  readonly closed: Promise<number>;
  closeCode: number | undefined = undefined;
  signed = false;
  frames = 0;
  audioBytes = 0;
  eventCount = 0;
  /** The stream is fully closed (set once, just before `closed` resolves). */
  done = false;

  private readonly ledger: RecordLedger;
  /** Audio chunks as received (joined on first read); null once released. */
  private chunks: Uint8Array[] | null;
  private joined: Uint8Array | undefined;
  private retainedAudio = 0;
  private sent: SentEvent[] | null;
  /** Why the audio / events went (for the error a read throws). */
  private audioGone: string | undefined;
  private eventsGone: string | undefined;
  private resolveClosed!: (code: number) => void;

  constructor(init: RecordInit, ledger: RecordLedger) {
    this.id = init.id;
    this.requestId = init.requestId;
    this.query = init.query;
    this.medical = init.medical;
    this.ledger = ledger;
    this.audioGone = init.noAudio;
    this.eventsGone = init.noEvents;
    this.chunks = init.noAudio === undefined ? [] : null;
    this.sent = init.noEvents === undefined ? [] : null;
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
  }

  get audio(): Uint8Array {
    if (this.chunks === null)
      throw new EmulatorError(
        'AUDIO_RELEASED',
        `session ${this.id}: its audio (${this.audioBytes} bytes) ${this.audioGone}`,
      );
    if (this.joined === undefined || this.joined.length !== this.retainedAudio) {
      const all = new Uint8Array(this.retainedAudio);
      let at = 0;
      for (const c of this.chunks) {
        all.set(c, at);
        at += c.length;
      }
      this.chunks.length = 0;
      if (all.length > 0) this.chunks.push(all);
      this.joined = all;
    }
    return this.joined;
  }

  get events(): readonly SentEvent[] {
    if (this.sent === null)
      throw new EmulatorError(
        'EVENTS_RELEASED',
        `session ${this.id}: its ${this.eventCount} events ${this.eventsGone}`,
      );
    return this.sent;
  }

  get audioRetained(): boolean {
    return this.chunks !== null;
  }

  get eventsRetained(): boolean {
    return this.sent !== null;
  }

  /** Bytes of audio held now (0 once released). */
  get audioHeld(): number {
    return this.retainedAudio;
  }

  /** Events held now (0 once released). */
  get eventsHeld(): number {
    return this.sent === null ? 0 : this.sent.length;
  }

  /** Records a chunk the stream owns (already copied out of the socket's buffer). */
  addAudio(chunk: Uint8Array): void {
    this.audioBytes += chunk.length;
    if (this.chunks === null) return;
    this.chunks.push(chunk);
    this.retainedAudio += chunk.length;
    this.ledger.audioAdded(this, chunk.length);
  }

  addEvent(event: SentEvent): void {
    this.eventCount++;
    if (this.sent === null) return;
    this.sent.push(event);
    this.ledger.eventAdded(this);
  }

  /** Frees the audio (`why` completes "its audio … "); returns the bytes it held. */
  releaseAudio(why: string): number {
    const bytes = this.retainedAudio;
    if (this.chunks !== null) this.audioGone = why;
    this.chunks = null;
    this.joined = undefined;
    this.retainedAudio = 0;
    return bytes;
  }

  /** Frees the events (`why` completes "its N events … "); returns how many it held. */
  releaseEvents(why: string): number {
    const n = this.eventsHeld;
    if (this.sent !== null) this.eventsGone = why;
    this.sent = null;
    return n;
  }

  /** The stream is fully closed. */
  end(code: number): void {
    if (this.done) return;
    this.done = true;
    if (this.closeCode === undefined) this.closeCode = code;
    this.ledger.ended(this);
    this.resolveClosed(this.closeCode);
  }
}
