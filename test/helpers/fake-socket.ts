// An in-process stand-in for a Transcribe WebSocket: records what the client sends (decoded) and
// lets a test answer with transcripts, exceptions, closes and refused handshakes.
import { decodeMessage, encodeMessage, utf8Encode } from '../../dist/core/index.js';
import type {
  Message,
  SocketEvents,
  SocketFactory,
  TranscribeSocket,
  TranscriptResult,
} from '../../dist/core/index.js';

export class FakeSocket implements TranscribeSocket {
  readonly url: string;
  readonly query: URLSearchParams;
  readonly sent: Message[] = [];
  readonly events: SocketEvents;
  closed: { code: number; reason: string } | undefined;
  bufferedAmount = 0;
  opened = false;
  /** Deliver the close event inside close(), as some runtimes do (Node's WebSocket on a socket that never opened). */
  closeInline = false;

  constructor(url: string, events: SocketEvents) {
    this.url = url;
    this.query = new URL(url).searchParams;
    this.events = events;
  }

  send(data: Uint8Array): boolean {
    if (this.closed) return false;
    this.sent.push(decodeMessage(data.slice()));
    return true;
  }

  close(code = 1000, reason = ''): void {
    if (this.closed) return;
    this.closed = { code, reason };
    const info = { code, reason, opened: this.opened };
    if (this.closeInline) this.events.close(info);
    else queueMicrotask(() => this.events.close(info));
  }

  open(): void {
    this.opened = true;
    this.events.open();
  }

  /** PCM bytes of every AudioEvent received, concatenated. */
  audio(): Uint8Array {
    const parts = this.sent.filter((m) => m.body.length > 0);
    const out = new Uint8Array(parts.reduce((n, m) => n + m.body.length, 0));
    let o = 0;
    for (const m of parts) {
      out.set(m.body, o);
      o += m.body.length;
    }
    return out;
  }

  gotEndOfStream(): boolean {
    const last = this.sent[this.sent.length - 1];
    return last !== undefined && last.body.length === 0;
  }

  transcript(results: TranscriptResult[]): void {
    this.events.message(
      encodeMessage({
        headers: {
          ':message-type': { type: 'string', value: 'event' },
          ':event-type': { type: 'string', value: 'TranscriptEvent' },
          ':content-type': { type: 'string', value: 'application/json' },
        },
        body: utf8Encode(JSON.stringify({ Transcript: { Results: results } })),
      }),
    );
  }

  exception(type: string, message: string): void {
    this.events.message(
      encodeMessage({
        headers: {
          ':message-type': { type: 'string', value: 'exception' },
          ':exception-type': { type: 'string', value: type },
          ':content-type': { type: 'string', value: 'application/json' },
        },
        body: utf8Encode(JSON.stringify({ Message: message })),
      }),
    );
  }

  serverClose(code: number, reason = ''): void {
    this.closed = { code, reason };
    this.events.close({ code, reason, opened: true });
  }

  refuse(status: number, body = ''): void {
    this.closed = { code: 1006, reason: '' };
    this.events.close({ code: 1006, reason: '', opened: false, status, body });
  }
}

export class FakeServer {
  readonly sockets: FakeSocket[] = [];
  /** Open each new socket on the next microtask (like a fast handshake). */
  autoOpen = true;
  /** Statuses to refuse the next handshakes with, in order. */
  refusals: number[] = [];
  /** Sockets deliver their close event inside close() (see FakeSocket.closeInline). */
  closeInline = false;
  /** Called for every new socket, after it is recorded. */
  onSocket: ((s: FakeSocket) => void) | undefined;

  readonly factory: SocketFactory = (url, events) => {
    const s = new FakeSocket(url, events);
    s.closeInline = this.closeInline;
    this.sockets.push(s);
    const refusal = this.refusals.shift();
    queueMicrotask(() => {
      if (refusal !== undefined) s.refuse(refusal, JSON.stringify({ message: `refused with ${refusal}` }));
      else if (this.autoOpen) s.open();
      this.onSocket?.(s);
    });
    return s;
  };

  get last(): FakeSocket {
    const s = this.sockets[this.sockets.length - 1];
    if (!s) throw new Error('no socket yet');
    return s;
  }
}

export function result(text: string, o: Partial<TranscriptResult> = {}): TranscriptResult {
  const words = text.split(/\s+/).filter(Boolean);
  return {
    ResultId: o.ResultId ?? 'r1',
    StartTime: o.StartTime ?? 0,
    EndTime: o.EndTime ?? words.length * 0.3,
    IsPartial: o.IsPartial ?? true,
    Alternatives: [
      {
        Transcript: text,
        Items: words.map((w, i) => ({
          StartTime: i * 0.3,
          EndTime: i * 0.3 + 0.25,
          Type: 'pronunciation' as const,
          Content: w,
        })),
      },
    ],
    ...(o.ChannelId !== undefined ? { ChannelId: o.ChannelId } : {}),
    ...(o.LanguageCode !== undefined ? { LanguageCode: o.LanguageCode } : {}),
  };
}

export const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function until(cond: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await tick(2);
  }
}
