// How the session runner reads what reached the service: each decoded message classified by its
// headers (what the contract says the service must do with it), results parsed independently of
// the service's own objects, frames described for reports.
import type { Frame, HeaderValue, Message } from '../../dist/core/index.js';
import { brief } from './findings.ts';

/** The exceptions worth a retry (per the Transcribe streaming API); any other one may end the service. */
const RETRYABLE = new Set(['LimitExceededException', 'InternalFailureException', 'ServiceUnavailableException']);

function stringHeader(m: Message, name: string): string | undefined {
  const h = Object.getOwnPropertyDescriptor(m.headers, name)?.value as HeaderValue | undefined;
  return h?.type === 'string' ? h.value : undefined;
}

/**
 * transcript: skipped if wrong-shaped, the stream goes on; otherEvent: ignored; exception: the
 * client closes, then reconnects; fatalException (non-retryable exceptions, unknown exception types
 * and `error` messages): closes, may end the service; unknown (no or odd :message-type): not
 * specified by the contract, so it may end the service too.
 */
export type Class = 'transcript' | 'otherEvent' | 'exception' | 'fatalException' | 'unknown';

export function classify(m: Message): Class {
  const type = stringHeader(m, ':message-type');
  if (type === 'event') return stringHeader(m, ':event-type') === 'TranscriptEvent' ? 'transcript' : 'otherEvent';
  if (type === 'exception')
    return RETRYABLE.has(stringHeader(m, ':exception-type') ?? '') ? 'exception' : 'fatalException';
  if (type === 'error') return 'fatalException';
  return 'unknown';
}

/** The results of a TranscriptEvent body as JSON.parse sees them (independent objects from the service's). */
export function resultsOf(m: Message): unknown[] {
  try {
    const doc = JSON.parse(Buffer.from(m.body).toString('utf8')) as { Transcript?: { Results?: unknown } } | null;
    const results = doc?.Transcript?.Results;
    return Array.isArray(results) ? results : [];
  } catch {
    return [];
  }
}

/** Whether a time is a whole number of milliseconds (as AWS sends them, and as shifted times must be rounded). */
export const isMs = (t: number): boolean => Math.round(t * 1000) / 1000 === t;

export function describeFrame(f: Frame): string {
  if (f.type === 'error')
    return `error${f.fatal ? ' (fatal)' : ''} ${brief(f.error?.code)}: ${brief(f.error?.message, 160)}`;
  if (f.type === 'transcription' || f.type === 'interimTranscription') return `${f.type} ${brief(f.text)}`;
  return f.type;
}
