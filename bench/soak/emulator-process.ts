// The soak's emulator, in its own process so the client's CPU and heap figures are the client's
// alone. Talks over IPC: `fault` injects a fault into the open streams, `report` answers with each
// tagged stream's received byte count and CRC-32 over all its sessions in order, `close` exits.
import { crc32 } from 'node:zlib';
import { startEmulator } from '../../dist/emulator/index.js';
import type { FaultSpec } from '../../dist/emulator/index.js';

type Command = { type: 'fault'; spec: FaultSpec } | { type: 'report' } | { type: 'close' };

const emu = await startEmulator({ script: ['soak test utterance one', 'and the second one', 'third and last'] });
process.send!({ type: 'ready', endpoint: emu.endpoint, credentials: emu.credentials });

process.on('message', async (cmd: Command) => {
  if (cmd.type === 'fault') {
    emu.fault(cmd.spec);
  } else if (cmd.type === 'report') {
    const streams: Record<string, { bytes: number; crc: number; sessions: number }> = {};
    for (const s of emu.sessions) {
      const tag = s.query['x-soak-stream'] ?? '?';
      const r = (streams[tag] ??= { bytes: 0, crc: 0, sessions: 0 });
      r.bytes += s.audio.length;
      r.crc = crc32(s.audio, r.crc);
      r.sessions++;
    }
    process.send!({ type: 'report', streams });
  } else {
    await emu.close();
    process.exit(0);
  }
});
