/**
 * One live stream: reads frames, feeds the recognizer, sends what it returns, enforces the idle
 * timeout and the maximum duration, ends cleanly on the empty AudioEvent, and carries out injected
 * faults. What is worth keeping goes to its SessionRecord; when the stream closes, everything live
 * (decoder and any partial message, recognizer, timers, queued sends, armed faults) is let go, and
 * the emulator forgets this object.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { EventStreamError, MessageDecoder } from '../core/eventstream/index.js';
import type { Message } from '../core/eventstream/index.js';
import type { TranscriptResult } from '../core/transcribe/transcript.js';
import type { ChunkSignatureChain } from './chunk-signature.js';
import { readClientMessage } from './client-frames.js';
import { IDLE_TIMEOUT_MESSAGE } from './constants.js';
import type { ActiveFault, FaultableSession } from './faults.js';
import type { SessionRecord } from './record.js';
import { resultDelayMs } from './recognizer.js';
import { SendQueue } from './send-queue.js';
import { exceptionMessage, transcriptEventMessage } from './server-frames.js';
import { StreamFaults } from './session-faults.js';
import type { FaultHost } from './session-faults.js';
import type { Recognizer } from './types.js';

const WS_OPEN = 1;

/** A recognizer for a closed stream: the real one (and whatever it holds) is let go. */
const CLOSED: Recognizer = { push: () => [], flush: () => [] };

export interface SessionInit {
  ws: WebSocket;
  socket: Duplex;
  record: SessionRecord;
  /** PCM bytes per second of audio (rate x channels x 2), or 0 when the encoding is compressed. */
  bytesPerSecond: number;
  recognizer: Recognizer;
  chain: ChunkSignatureChain | null;
  idleTimeoutMs: number;
  maxDurationMs: number;
  /** Wall-clock delay before a final is sent (a script entry may override it). */
  finalDelayMs: number;
  onClosed: (session: Session) => void;
}

export class Session implements FaultableSession, FaultHost {
  readonly record: SessionRecord;
  private readonly ws: WebSocket;
  private readonly socket: Duplex;
  private recognizer: Recognizer;
  private readonly chain: ChunkSignatureChain | null;
  private readonly decoder = new MessageDecoder();
  private readonly bytesPerSecond: number;
  private readonly maxDurationMs: number;
  private readonly finalDelayMs: number;
  private readonly onClosed: (session: Session) => void;
  private readonly idleTimer: ReturnType<typeof setTimeout>;
  private readonly durationTimer: ReturnType<typeof setTimeout>;
  private readonly queue = new SendQueue();
  private readonly faults: StreamFaults = new StreamFaults(this);
  /** No more input is processed: end of stream, an exception, a close or a drop has begun. */
  private finished = false;

  constructor(init: SessionInit) {
    this.ws = init.ws;
    this.socket = init.socket;
    this.record = init.record;
    this.recognizer = init.recognizer;
    this.chain = init.chain;
    this.bytesPerSecond = init.bytesPerSecond;
    this.maxDurationMs = init.maxDurationMs;
    this.finalDelayMs = init.finalDelayMs;
    this.onClosed = init.onClosed;
    this.idleTimer = setTimeout(() => this.idleTimeout(), init.idleTimeoutMs);
    this.durationTimer = setTimeout(() => this.tooLong(), init.maxDurationMs);
    this.ws.on('message', (data: Buffer, isBinary: boolean) => this.onFrame(data, isBinary));
    this.ws.on('close', (code: number) => this.onClose(code));
    this.ws.on('error', () => {
      // A protocol error from the client (bad masking, oversized frame): ws closes the socket itself.
    });
  }

  get id(): string {
    return this.record.id;
  }

  get open(): boolean {
    return this.record.closeCode === undefined;
  }

  /** Still reading: not closed and not ending. */
  get live(): boolean {
    return !this.finished && this.open;
  }

  // --- input ---------------------------------------------------------------------------------------

  private onFrame(data: Buffer, isBinary: boolean): void {
    if (this.finished) return;
    this.record.frames++;
    try {
      this.processFrame(data, isBinary);
    } catch (err) {
      // A custom recognizer that throws must not take the emulator (and the test run) down.
      this.finished = false;
      this.fail('InternalFailureException', `The emulator's recognizer failed: ${(err as Error).message}`);
      return;
    }
    if (!this.finished) this.faults.countFrame();
  }

  private processFrame(data: Buffer, isBinary: boolean): void {
    if (!isBinary) {
      this.fail(
        'BadRequestException',
        'Text WebSocket frames are not supported; send event-stream messages in binary frames.',
      );
      return;
    }
    if (data.length === 0) {
      // The browser SDK's end of stream: its serializer's final empty chunk.
      this.end();
      return;
    }
    let messages: Message[];
    try {
      messages = this.decoder.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } catch (err) {
      if (!(err instanceof EventStreamError)) throw err;
      this.fail('BadRequestException', `Could not decode the event stream you sent: ${err.message}`);
      return;
    }
    for (const msg of messages) {
      const frame = readClientMessage(msg, this.chain);
      if (frame.kind === 'bad') {
        this.fail('BadRequestException', frame.message);
        return;
      }
      if (frame.signed) this.record.signed = true;
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
    this.record.addAudio(copy);
    this.idleTimer.refresh();
    this.sendResults(this.recognizer.push(copy));
    if (this.bytesPerSecond > 0 && (this.record.audioBytes / this.bytesPerSecond) * 1000 > this.maxDurationMs)
      this.tooLong();
  }

  // --- endings -------------------------------------------------------------------------------------

  /** End of stream: finish pending results, send them, close 1000. */
  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.sendResults(this.recognizer.flush());
    this.sendClose(1000, '');
  }

  /** Sends an exception message, then closes (1000, as the service ends errored streams). */
  fail(exceptionType: string, message: string, flush = false): void {
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
    this.queue.push(() => {
      if (this.ws.readyState !== WS_OPEN) return;
      this.ws.send(exceptionMessage(exceptionType, message));
      this.record.addEvent({ type: 'exception', exceptionType, message, at });
    });
    this.sendClose(1000, '');
  }

  /** AWS's idle timeout; also what the `idle-timeout` fault sends while audio flows. */
  idleTimeout(): void {
    this.fail('BadRequestException', IDLE_TIMEOUT_MESSAGE);
  }

  private tooLong(): void {
    const hours = this.maxDurationMs / 3_600_000;
    const limit = Number.isInteger(hours) ? `${hours} hour${hours === 1 ? '' : 's'}` : `${this.maxDurationMs} ms`;
    this.fail(
      'LimitExceededException',
      `Your stream is longer than the maximum duration of ${limit}. Start a new stream to continue.`,
      true,
    );
  }

  /** A fault's close: nothing more is read, the close frame goes out in order. */
  closeWith(code: number, reason: string): void {
    this.finished = true;
    this.sendClose(code, reason);
  }

  private sendClose(code: number, reason: string): void {
    this.queue.push(() => {
      if (this.ws.readyState !== WS_OPEN) return;
      if (this.record.closeCode === undefined) this.record.closeCode = code;
      this.ws.close(code, reason);
    });
  }

  /** The emulator is closing: going away (1001), nothing more is read. */
  shutdown(): void {
    this.finished = true;
    if (this.record.closeCode === undefined) this.record.closeCode = 1001;
    if (this.ws.readyState === WS_OPEN) this.ws.close(1001, 'emulator closing');
  }

  /** Drops the TCP connection without a close frame. */
  drop(): void {
    this.finished = true;
    if (this.record.closeCode === undefined) this.record.closeCode = 1006;
    this.socket.destroy();
  }

  private onClose(code: number): void {
    this.finished = true;
    clearTimeout(this.idleTimer);
    clearTimeout(this.durationTimer);
    this.queue.clear();
    this.faults.dispose();
    // A message the client abandoned half-sent may hold up to 16 MiB: free it now.
    this.decoder.reset();
    this.recognizer = CLOSED;
    this.onClosed(this);
    this.record.end(code);
  }

  // --- output --------------------------------------------------------------------------------------

  private sendResults(results: readonly TranscriptResult[]): void {
    for (const result of results) {
      const transcript = { Transcript: { Results: [result] } };
      const at = Date.now();
      const delay = result.IsPartial ? 0 : (resultDelayMs(result) ?? this.finalDelayMs);
      this.queue.push(() => {
        if (this.ws.readyState !== WS_OPEN) return;
        this.ws.send(transcriptEventMessage(transcript));
        this.record.addEvent({ type: 'TranscriptEvent', transcript, at });
      }, delay);
    }
  }

  // --- faults --------------------------------------------------------------------------------------

  applyFault(fault: ActiveFault): void {
    this.faults.apply(fault);
  }

  removeFault(fault: ActiveFault): void {
    this.faults.remove(fault);
  }

  setDelay(ms: number): void {
    this.queue.delayMs = ms;
  }

  pauseReading(): void {
    this.socket.pause();
    // A stalled server is not a silent client: the idle clock stops with it.
    clearTimeout(this.idleTimer);
  }

  resumeReading(): void {
    this.idleTimer.refresh();
    this.socket.resume();
  }
}
