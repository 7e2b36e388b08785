/**
 * Reading a body from someone we do not trust (a page's request, a server's answer) without
 * letting them choose how much memory or time it costs: at most `max` bytes, at most `ms`, and the
 * rest of the stream cancelled so the sender is told to stop instead of being buffered.
 */

/** The bytes read (at most `max`), and why reading stopped: the end of the body, the size cap, or the time cap. */
export interface CappedBody {
  bytes: Uint8Array;
  end: 'done' | 'size' | 'time';
}

/** Reads `body` (null: empty) until it ends, passes `max` bytes or `ms` passed. Rejects when the stream errors. */
export async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  max: number,
  ms: number = Number.POSITIVE_INFINITY,
): Promise<CappedBody> {
  if (body === null) return { bytes: new Uint8Array(0), end: 'done' };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let late = false;
  // Cancelling ends a pending read() with { done: true }, so the loop below stops at the deadline.
  const timer = Number.isFinite(ms)
    ? setTimeout(() => {
        late = true;
        reader.cancel().catch(() => {});
      }, ms)
    : undefined;
  let end: CappedBody['end'] = 'done';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (late) {
        end = 'time';
        break;
      }
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (size > max) {
        end = 'size';
        break;
      }
    }
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (end !== 'done') reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  const bytes = new Uint8Array(Math.min(size, max));
  let at = 0;
  for (const chunk of chunks) {
    if (at >= bytes.length) break;
    const part = chunk.subarray(0, bytes.length - at);
    bytes.set(part, at);
    at += part.length;
  }
  return { bytes, end };
}
