/**
 * Result times on the service's timeline: a stream's times start at zero, so the audio sent on
 * earlier streams is added to keep them monotonic across reconnects and switches.
 */

import type { TranscriptResult } from './transcript.js';

export function shiftTimes(r: TranscriptResult, offset: number): void {
  if (offset === 0) return;
  r.StartTime += offset;
  r.EndTime += offset;
  for (const alt of r.Alternatives) {
    for (const t of [...(alt.Items ?? []), ...(alt.Entities ?? [])]) {
      t.StartTime += offset;
      t.EndTime += offset;
    }
  }
}
