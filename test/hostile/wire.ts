// Event-stream frames a hostile server sends (well framed, whatever their JSON says) and a
// decoder for what the client sends. Encoding uses the project's own encoder: what is under test
// is the client's handling of the content, not the framing.
import { encodeMessage, MessageDecoder } from '../../dist/core/index.js';

const utf8 = new TextEncoder();

/** An event message with any JSON body (or raw text: a body that is not JSON at all). */
export function eventFrame(eventType: string, body: unknown, raw = false): Uint8Array {
  return encodeMessage({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: utf8.encode(raw ? String(body) : JSON.stringify(body)),
  });
}

/** A TranscriptEvent whose `Transcript.Results` is `results`, whatever shape it has. */
export function transcriptFrame(results: unknown): Uint8Array {
  return eventFrame('TranscriptEvent', { Transcript: { Results: results } });
}

export function exceptionFrame(exceptionType: string, message: string): Uint8Array {
  return encodeMessage({
    headers: {
      ':message-type': { type: 'string', value: 'exception' },
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: utf8.encode(JSON.stringify({ Message: message })),
  });
}

export interface ResultOptions {
  partial?: boolean;
  start?: number;
  end?: number;
  channel?: string;
  id?: string;
}

/** A well-formed result as AWS sends it, one item per word. */
export function result(text: string, o: ResultOptions = {}): Record<string, unknown> {
  const start = o.start ?? 0.1;
  const end = o.end ?? 0.9;
  const words = text.split(' ');
  const step = (end - start) / words.length;
  return {
    ResultId: o.id ?? `r-${text.length}-${start}`,
    StartTime: start,
    EndTime: end,
    IsPartial: o.partial ?? false,
    ...(o.channel !== undefined ? { ChannelId: o.channel } : {}),
    Alternatives: [
      {
        Transcript: text,
        Items: words.map((w, i) => ({
          StartTime: start + i * step,
          EndTime: start + (i + 1) * step,
          Type: 'pronunciation',
          Content: w,
        })),
      },
    ],
  };
}

/** Decodes a client's frames: AudioEvents (the empty one is the end of the stream). */
export class ClientFrames {
  readonly #decoder = new MessageDecoder();

  /** The audio payloads in `chunk` (empty arrays for end-of-stream); throws on a malformed frame. */
  push(chunk: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const m of this.#decoder.push(chunk)) {
      const t = m.headers[':event-type'];
      if (t?.type === 'string' && t.value === 'AudioEvent') out.push(m.body.slice());
    }
    return out;
  }
}
