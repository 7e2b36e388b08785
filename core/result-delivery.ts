/**
 * Result times on the service's timeline: a stream's times start at zero, so the audio sent on
 * earlier streams is added to keep them monotonic across reconnects and switches. Sums are rounded
 * to 0.1 ms, the finest step AWS's times use (e.g. 2.4225), so no float noise such as
 * 2.3499999999999996 reaches the application.
 */

import type { TranscriptResult } from './transcript.js';

const STEPS_PER_SECOND = 10_000;

function shift(t: number, offset: number): number {
  return Math.round((t + offset) * STEPS_PER_SECOND) / STEPS_PER_SECOND;
}

export function shiftTimes(r: TranscriptResult, offset: number): void {
  if (offset === 0) return;
  r.StartTime = shift(r.StartTime, offset);
  r.EndTime = shift(r.EndTime, offset);
  for (const alt of r.Alternatives) {
    for (const t of alt.Items) {
      t.StartTime = shift(t.StartTime, offset);
      t.EndTime = shift(t.EndTime, offset);
    }
    for (const t of alt.Entities ?? []) {
      t.StartTime = shift(t.StartTime, offset);
      t.EndTime = shift(t.EndTime, offset);
    }
  }
}
