// The soak's emulator, in its own process so the client's CPU and heap figures are the client's
// alone. Talks over IPC: `fault` injects a fault into the open streams, `report` answers with each
// tagged stream's received byte count and CRC-32 over all its sessions in order (each replayed head,
// the audio a stream heard again after a drop, checked against what came before and counted once),
// `close` exits.
import { crc32 } from 'node:zlib';
import { startEmulator } from '../../dist/emulator/index.js';
import type { EmulatorSession, FaultSpec } from '../../dist/emulator/index.js';
import { receivedStreams, timelineAudio } from '../../test/helpers/timeline.ts';

/** `replayed`: per tag, each stream's ConnectedEvent.replayedSeconds in the order they became current. */
type Command =
  | { type: 'fault'; spec: FaultSpec }
  | { type: 'report'; replayed: Record<string, number[]> }
  | { type: 'close' };
const WIRE_BPS = 32_000;

// Every session's audio is kept (the default retention releases it): the report checks all of it.
const emu = await startEmulator({
  script: ['soak test utterance one', 'and the second one', 'third and last'],
  retain: { sessions: Number.POSITIVE_INFINITY, audioBytes: Number.POSITIVE_INFINITY, events: 0 },
});
process.send!({ type: 'ready', endpoint: emu.endpoint, credentials: emu.credentials });

process.on('message', async (cmd: Command) => {
  if (cmd.type === 'fault') {
    emu.fault(cmd.spec);
  } else if (cmd.type === 'report') {
    const tagged = new Map<string, EmulatorSession[]>();
    for (const s of emu.sessions) {
      const tag = s.query['x-soak-stream'] ?? '?';
      const list = tagged.get(tag) ?? [];
      list.push(s);
      tagged.set(tag, list);
    }
    const streams: Record<string, { bytes: number; crc: number; sessions: number; problem?: string }> = {};
    for (const [tag, sessions] of tagged) {
      try {
        const audio = timelineAudio(receivedStreams(sessions, cmd.replayed[tag] ?? [], WIRE_BPS));
        streams[tag] = { bytes: audio.length, crc: crc32(audio), sessions: sessions.length };
      } catch (err) {
        streams[tag] = { bytes: -1, crc: 0, sessions: sessions.length, problem: (err as Error).message };
      }
    }
    process.send!({ type: 'report', streams });
  } else {
    await emu.close();
    process.exit(0);
  }
});
