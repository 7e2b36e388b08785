/**
 * One accepted stream: reads frames, feeds the recognizer, sends what it returns, enforces the
 * idle timeout and the maximum duration, ends cleanly on the empty AudioEvent, and carries out
 * injected faults. Every message it sends is recorded in `events`, every PCM byte it reads in `audio`.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { EventStreamError, MessageDecoder } from '../core/eventstream.js';
import type { TranscriptResult } from '../core/transcript.js';
import type { ChunkSignatureChain } from './chunk-signature.js';
import { readClientMessage } from './client-frames.js';
import type { ActiveFault, FaultableSession } from './faults.js';
import { exceptionMessage, transcriptEventMessage } from './server-frames.js';
import type { EmulatorSession, Recognizer, SentEvent } from './types.js';

/** AWS's exact text (amazon-transcribe-streaming-sdk#118), whatever idleTimeoutMs is. */
const WS_OPEN = 1;

export const IDLE_TIMEOUT_MESSAGE = 'Your request timed out because no new audio was received for 15 seconds.';

export interface SessionInit {
  ws: WebSocket;
  socket: Duplex;
  id: string;
  requestId: string;
  query: Readonly<Record<string, string>>;
  medical: boolean;
  /** PCM bytes per second of audio (rate x channels x 2), or 0 when the encoding is compressed. */
  bytesPerSecond: number;
  recognizer: Recognizer;
  chain: ChunkSignatureChain | null;
  idleTimeoutMs: number;
  maxDurationMs: number;
  onClosed: (session: Session) => void;
}

interface Armed {
  fault: ActiveFault;
  timer: NodeJS.Timeout | undefined;
  framesLeft: number | undefined;
}

export class Session implements EmulatorSession, FaultableSession {
  readonly id: string;
  readonly requestId: string;
  readonly query: Readonly<Record<string, string>>;
  readonly medical: boolean;
  readonly events: SentEvent[] = [];
  readonly closed: Promise<number>;
  closeCode: number | undefined = undefined;
  signed = false;
  frames = 0;

  private readonly ws: WebSocket;
  private readonly socket: Duplex;
  private readonly recognizer: Recognizer;
  private readonly chain: ChunkSignatureChain | null;
  private readonly decoder = new MessageDecoder();
  private readonly bytesPerSecond: number;
  private readonly maxDurationMs: number;
  private readonly onClosed: (session: Session) => void;
  private readonly chunks: Uint8Array[] = [];
  private audioBytes = 0;
  private audioCache: Uint8Array | undefined;
  private readonly idleTimer: NodeJS.Timeout;
  private readonly durationTimer: NodeJS.Timeout;
  private resumeTimer: NodeJS.Timeout | undefined;
  /** No more input is processed: end of stream, an exception, a close or a drop has begun. */
  private finished = false;
  private stalled = false;
  private readonly armed: Armed[] = [];
  private delayMs = 0;
  /** When the last delayed send is due, so delayed sends keep their order. */
  private lastDue = 0;
  private resolveClosed!: (code: number) => void;

  constructor(init: SessionInit) {
    this.ws = init.ws;
    this.socket = init.socket;
    this.id = init.id;
    this.requestId = init.requestId;
    this.query = init.query;
    this.medical = init.medical;
    this.recognizer = init.recognizer;
    this.chain = init.chain;
    this.bytesPerSecond = init.bytesPerSecond;
    this.maxDurationMs = init.maxDurationMs;
    this.onClosed = init.onClosed;
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.idleTimer = setTimeout(() => this.fail('BadRequestException', IDLE_TIMEOUT_MESSAGE, false), init.idleTimeoutMs);
    this.durationTimer = setTimeout(() => this.tooLong(), init.maxDurationMs);
    this.ws.on('message', (data: Buffer, isBinary: boolean) => this.onFrame(data, isBinary));
    this.ws.on('close', (code: number) => this.onClose(code));
    this.ws.on('error', () => {
      // A protocol error from the client (bad masking, oversized frame): ws closes the socket itself.
    });
  }

  get audio(): Uint8Array {
    if (this.audioCache === undefined || this.audioCache.length !== this.audioBytes) {
      const all = new Uint8Array(this.audioBytes);
      let at = 0;
      for (const c of this.chunks) {
        all.set(c, at);
        at += c.length;
      }
      this.chunks.length = 0;
      if (all.length > 0) this.chunks.push(all);
      this.audioCache = all;
    }
    return this.audioCache;
  }

  get open(): boolean {
    return this.closeCode === undefined;
  }

  /** Still reading: not closed and not ending. */
  get live(): boolean {
    return !this.finished && this.closeCode === undefined;
  }

  // --- input ---------------------------------------------------------------------------------------

  private onFrame(data: Buffer, isBinary: boolean): void {
    if (this.finished) return;
    this.frames++;
    try {
      this.processFrame(data, isBinary);
    } catch (err) {
      // A custom recognizer that throws must not take the emulator (and the test run) down.
      this.finished = false;
      this.fail('InternalFailureException', `The emulator's recognizer failed: ${(err as Error).message}`, false);
      return;
    }
    if (!this.finished) this.countFrame();
  }

  private processFrame(data: Buffer, isBinary: boolean): void {
    if (!isBinary) {
      this.fail('BadRequestException', 'Text WebSocket frames are not supported; send event-stream messages in binary frames.', false);
      return;
    }
    if (data.length === 0) {
      // The browser SDK's end of stream: its serializer's final empty chunk.
      this.end();
      return;
    }
    let messages;
    try {
      messages = this.decoder.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } catch (err) {
      if (!(err instanceof EventStreamError)) throw err;
      this.fail('BadRequestException', `Could not decode the event stream you sent: ${err.message}`, false);
      return;
    }
    for (const msg of messages) {
      const frame = readClientMessage(msg, this.chain);
      if (frame.kind === 'bad') {
        this.fail('BadRequestException', frame.message, false);
        return;
      }
      if (frame.signed) this.signed = true;
      if (frame.kind === 'end') {
        this.end();
        return;
      }
      this.onAudio(frame.pcm);
      if (this.finished) return;
    }
  }

  private onAudio(pcm: Uint8Array): void {
    // Copied: the decoded payload is a view into ws's receive buffer.
    const copy = pcm.slice();
    this.chunks.push(copy);
    this.audioBytes += copy.length;
    this.idleTimer.refresh();
    this.sendResults(this.recognizer.push(copy));
    if (this.bytesPerSecond > 0 && (this.audioBytes / this.bytesPerSecond) * 1000 > this.maxDurationMs) this.tooLong();
  }

  // --- endings -------------------------------------------------------------------------------------

  /** End of stream: finish pending results, send them, close 1000. */
  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.sendResults(this.recognizer.flush());
    this.closeWith(1000, '');
  }

  /** Sends an exception message, then closes (1000, as the service ends errored streams). */
  fail(exceptionType: string, message: string, flush: boolean): void {
    if (this.finished) return;
    this.finished = true;
    if (flush) {
      try {
        this.sendResults(this.recognizer.flush());
      } catch {
        // The exception below ends the stream anyway; a failing flush only loses its results.
      }
    }
    const at = Date.now();
    this.enqueue(() => {
      this.ws.send(exceptionMessage(exceptionType, message));
      this.events.push({ type: 'exception', exceptionType, message, at });
    });
    this.closeWith(1000, '');
  }

  private tooLong(): void {
    const hours = this.maxDurationMs / 3_600_000;
    const limit = Number.isInteger(hours) ? `${hours} hour${hours === 1 ? '' : 's'}` : `${this.maxDurationMs} ms`;
    this.fail('LimitExceededException', `Your stream is longer than the maximum duration of ${limit}. Start a new stream to continue.`, true);
  }

  private closeWith(code: number, reason: string): void {
    this.enqueue(() => {
      if (this.closeCode === undefined) this.closeCode = code;
      this.ws.close(code, reason);
    });
  }

  /** The emulator is closing: going away (1001), nothing more is read. */
  shutdown(): void {
    this.finished = true;
    if (this.closeCode === undefined) this.closeCode = 1001;
    if (this.ws.readyState === WS_OPEN) this.ws.close(1001, 'emulator closing');
  }

  /** Drops the TCP connection without a close frame. */
  drop(): void {
    this.finished = true;
    if (this.closeCode === undefined) this.closeCode = 1006;
    this.socket.destroy();
  }

  private onClose(code: number): void {
    this.finished = true;
    if (this.closeCode === undefined) this.closeCode = code;
    clearTimeout(this.idleTimer);
    clearTimeout(this.durationTimer);
    clearTimeout(this.resumeTimer);
    for (const a of this.armed) clearTimeout(a.timer);
    this.armed.length = 0;
    this.onClosed(this);
    this.resolveClosed(this.closeCode);
  }

  // --- output --------------------------------------------------------------------------------------

  private sendResults(results: readonly TranscriptResult[]): void {
    for (const result of results) {
      const transcript = { Transcript: { Results: [result] } };
      const at = Date.now();
      this.enqueue(() => {
        this.ws.send(transcriptEventMessage(transcript));
        this.events.push({ type: 'TranscriptEvent', transcript, at });
      });
    }
  }

  /** Runs `send` now, or after the injected delay, keeping the order of everything sent. */
  private enqueue(send: () => void): void {
    // Sends that come due after the socket closed (a drop, a client close) are moot.
    const run = (): void => {
      if (this.ws.readyState === WS_OPEN) send();
    };
    if (this.delayMs <= 0 && this.lastDue <= Date.now()) {
      run();
      return;
    }
    const due = Math.max(Date.now() + this.delayMs, this.lastDue);
    this.lastDue = due;
    setTimeout(run, due - Date.now());
  }

  // --- faults --------------------------------------------------------------------------------------

  applyFault(fault: ActiveFault): void {
    if (!this.open) return;
    const spec = fault.spec;
    if (spec.type === 'delay') {
      this.armed.push({ fault, timer: undefined, framesLeft: undefined });
      this.delayMs = Math.max(this.delayMs, spec.ms);
      return;
    }
    const armed: Armed = { fault, timer: undefined, framesLeft: spec.afterFrames };
    if (spec.afterMs !== undefined) {
      armed.timer = setTimeout(() => this.fire(armed), spec.afterMs);
    } else if (spec.afterFrames === undefined) {
      this.armed.push(armed);
      this.fire(armed);
      return;
    }
    this.armed.push(armed);
  }

  removeFault(fault: ActiveFault): void {
    for (let i = this.armed.length - 1; i >= 0; i--) {
      const a = this.armed[i]!;
      if (a.fault !== fault) continue;
      clearTimeout(a.timer);
      this.armed.splice(i, 1);
    }
    if (fault.spec.type === 'delay') {
      let ms = 0;
      for (const a of this.armed) if (a.fault.spec.type === 'delay') ms = Math.max(ms, a.fault.spec.ms);
      this.delayMs = ms;
    }
    if (fault.spec.type === 'stop-reading' && this.stalled) this.resume();
  }

  private countFrame(): void {
    for (const a of this.armed.slice()) {
      if (a.framesLeft === undefined) continue;
      a.framesLeft--;
      // With both triggers set, whichever comes first fires.
      if (a.framesLeft <= 0) this.fire(a);
    }
  }

  private fire(a: Armed): void {
    const i = this.armed.indexOf(a);
    if (i < 0 || !this.open) return;
    clearTimeout(a.timer);
    const spec = a.fault.spec;
    if (spec.type !== 'stop-reading') this.armed.splice(i, 1);
    switch (spec.type) {
      case 'drop':
        this.drop();
        break;
      case 'close':
        this.finished = true;
        this.closeWith(spec.code ?? 1011, spec.reason ?? '');
        break;
      case 'exception':
        this.fail(spec.exceptionType, spec.message ?? defaultMessage(spec.exceptionType), false);
        break;
      case 'stop-reading':
        a.framesLeft = undefined;
        this.stall(spec.forMs);
        break;
      default:
        break;
    }
  }

  /** Stops reading the socket so TCP pushes back on the client; timers wait meanwhile. */
  private stall(forMs: number | undefined): void {
    this.stalled = true;
    this.socket.pause();
    // A stalled server is not a silent client: the idle clock stops with it.
    clearTimeout(this.idleTimer);
    if (forMs !== undefined) this.resumeTimer = setTimeout(() => this.resume(), forMs);
  }

  private resume(): void {
    if (!this.stalled) return;
    this.stalled = false;
    clearTimeout(this.resumeTimer);
    for (let i = this.armed.length - 1; i >= 0; i--) if (this.armed[i]!.fault.spec.type === 'stop-reading') this.armed.splice(i, 1);
    if (!this.open) return;
    this.idleTimer.refresh();
    this.socket.resume();
  }
}

function defaultMessage(exceptionType: string): string {
  switch (exceptionType) {
    case 'InternalFailureException':
      return 'An internal error occurred while processing the audio. Try your request again.';
    case 'ServiceUnavailableException':
      return 'The service is currently unavailable. Try your request again later.';
    case 'LimitExceededException':
      return 'You have exceeded the maximum number of concurrent transcription streams. Wait, then try your request again.';
    case 'ConflictException':
      return 'A new stream started with the same session ID. The current stream has been terminated.';
    default:
      return 'The request was not valid. Check the request and try again.';
  }
}
