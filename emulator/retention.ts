/**
 * Bounds what an emulator keeps of its streams (RetainOptions): the list of ended sessions, the
 * audio bytes and the events held across all of them. Over a limit, whole recordings are released
 * oldest first, ended streams before open ones, so the streams a test just ran stay readable.
 */
import type { RecordInit, RecordLedger } from './record.js';
import { SessionRecord } from './record.js';
import type { RetainOptions } from './types.js';

export const DEFAULT_RETAIN: Required<RetainOptions> = {
  sessions: 1000,
  audioBytes: 32 * 1024 * 1024,
  events: 5000,
};

export class Retention implements RecordLedger {
  /** The emulator's `sessions`: every open stream and the newest ended ones, oldest first. */
  readonly records: SessionRecord[] = [];
  private readonly limits: Required<RetainOptions>;
  private endedCount = 0;
  private audio = 0;
  private events = 0;

  constructor(limits: Required<RetainOptions>) {
    this.limits = limits;
  }

  create(init: Omit<RecordInit, 'noAudio' | 'noEvents'>): SessionRecord {
    const never = (option: string): string => `was not kept (${option}: 0)`;
    const record = new SessionRecord(
      {
        ...init,
        noAudio: this.limits.audioBytes > 0 ? undefined : never('retain.audioBytes'),
        noEvents: this.limits.events > 0 ? undefined : never('retain.events'),
      },
      this,
    );
    this.records.push(record);
    return record;
  }

  audioAdded(_record: SessionRecord, bytes: number): void {
    this.audio += bytes;
    if (this.audio > this.limits.audioBytes) this.release('audio');
  }

  eventAdded(): void {
    this.events++;
    if (this.events > this.limits.events) this.release('events');
  }

  ended(): void {
    this.endedCount++;
    while (this.endedCount > this.limits.sessions) {
      const i = this.records.findIndex((r) => r.done);
      if (i < 0) return;
      const oldest = this.records.splice(i, 1)[0]!;
      this.endedCount--;
      const why =
        `went with the session record: the emulator lists the newest retain.sessions ` +
        `(${this.limits.sessions}) ended sessions; raise it (Infinity keeps everything) or read it sooner`;
      this.audio -= oldest.releaseAudio(why);
      this.events -= oldest.releaseEvents(why);
    }
  }

  private release(kind: 'audio' | 'events'): void {
    const limit = kind === 'audio' ? this.limits.audioBytes : this.limits.events;
    const option = kind === 'audio' ? 'retain.audioBytes' : 'retain.events';
    const why =
      `was released to keep the emulator within ${option} (${limit}) as newer streams came; raise ` +
      `${option} (Infinity keeps everything) or read it sooner`;
    // Ended streams first, then open ones; both oldest first.
    for (const endedPass of [true, false]) {
      for (const r of this.records) {
        if (r.done !== endedPass) continue;
        if (kind === 'audio') {
          if (!r.audioRetained) continue;
          this.audio -= r.releaseAudio(why);
          if (this.audio <= limit) return;
        } else {
          if (!r.eventsRetained) continue;
          this.events -= r.releaseEvents(why);
          if (this.events <= limit) return;
        }
      }
    }
  }
}
