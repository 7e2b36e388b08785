// The emulator in its own process, so the scale clients' CPU and memory are theirs alone.
// Prints one line `READY {endpoint, port, credentials}`; then reads commands on stdin, one per
// line: `stats` prints `STATS {sessions, open, audioBytes, frames, cpuUs}`, `close` closes and
// exits. It also exits when stdin ends (its parent went away) or after a bounded lifetime.
//   node bench/scale/emulator-proc.mjs [maxLifetimeMs]
import { createInterface } from 'node:readline';
import { startEmulator } from '../../dist/emulator/index.js';

const lifetimeMs = Number(process.argv[2] ?? 600_000);
const emu = await startEmulator({
  script: ['hello from the scale bench', 'this is the second sentence', 'and a short third one'],
  region: 'us-east-1',
});
const cpu0 = process.cpuUsage();
process.stdout.write(
  `READY ${JSON.stringify({ endpoint: emu.endpoint, port: emu.port, credentials: emu.credentials })}\n`,
);

let closing = false;
async function shutdown(code) {
  if (closing) return;
  closing = true;
  await Promise.race([emu.close(), new Promise((r) => setTimeout(r, 3000))]);
  process.exit(code);
}
setTimeout(() => void shutdown(2), lifetimeMs).unref();

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const cmd = line.trim();
  if (cmd === 'stats') {
    let open = 0;
    let audioBytes = 0;
    let frames = 0;
    for (const s of emu.sessions) {
      if (s.closeCode === undefined) open++;
      // The session's byte counter (the `audio` getter would concatenate every chunk).
      audioBytes += typeof s.audioBytes === 'number' ? s.audioBytes : s.audio.length;
      frames += s.frames;
    }
    const c = process.cpuUsage(cpu0);
    const stats = { sessions: emu.sessions.length, open, audioBytes, frames, cpuUs: c.user + c.system };
    process.stdout.write(`STATS ${JSON.stringify(stats)}\n`);
  } else if (cmd === 'close') {
    void shutdown(0);
  }
});
lines.on('close', () => void shutdown(0));
