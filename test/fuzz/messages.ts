// Comparing decoded event-stream messages, and what a decoder must return for a message given to
// the encoder (names and string values as their UTF-8 round trip: lone surrogates become U+FFFD).
import type { HeaderValue, Message } from '../../dist/core/index.js';

const roundTrip = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

export function expectedDecode(m: Message): Message {
  const headers: Record<string, HeaderValue> = {};
  for (const [k, v] of Object.entries(m.headers)) {
    const value = v.type === 'string' ? ({ type: 'string', value: roundTrip(v.value) } as const) : v;
    Object.defineProperty(headers, roundTrip(k), { value, enumerable: true, writable: true, configurable: true });
  }
  return { headers, body: m.body };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameValue(a: HeaderValue, b: HeaderValue): boolean {
  if (a.type !== b.type) return false;
  if (a.value instanceof Date) return b.value instanceof Date && a.value.getTime() === b.value.getTime();
  if (a.value instanceof Uint8Array) return b.value instanceof Uint8Array && sameBytes(a.value, b.value);
  return a.value === b.value;
}

/** Undefined when equal (header order aside: integer-like names sort first in JS objects), else how they differ. */
export function messageDifference(a: Message, b: Message): string | undefined {
  const ka = Object.keys(a.headers).sort();
  const kb = Object.keys(b.headers).sort();
  if (ka.join('\u0000') !== kb.join('\u0000'))
    return `header names differ: ${JSON.stringify(ka)} vs ${JSON.stringify(kb)}`;
  for (const k of ka) {
    const va = Object.getOwnPropertyDescriptor(a.headers, k)?.value as HeaderValue;
    const vb = Object.getOwnPropertyDescriptor(b.headers, k)?.value as HeaderValue;
    if (!sameValue(va, vb)) return `header ${JSON.stringify(k)} differs: ${describe(va)} vs ${describe(vb)}`;
  }
  if (!sameBytes(a.body, b.body)) return `bodies differ (${a.body.length} vs ${b.body.length} bytes)`;
  return undefined;
}

function describe(v: HeaderValue): string {
  const value =
    v.value instanceof Uint8Array
      ? `${v.value.length} bytes`
      : v.value instanceof Date
        ? v.value.toISOString()
        : String(v.value);
  return `${v.type} ${value.slice(0, 40)}`;
}

export function hex(b: Uint8Array, max = 96): string {
  const shown = Buffer.from(b.subarray(0, max)).toString('hex');
  return b.length > max ? `${shown}…(${b.length} bytes)` : shown || '(empty)';
}
