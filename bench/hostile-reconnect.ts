// Reconnects per minute against servers that fail every stream a fixed time after it opens: one
// closes it (1000), one sends LimitExceededException first (issue 14: today 26 new streams a
// minute, forever). Both run at once, each with one service pushing real-time audio; streams are
// counted per real minute on the server side (completed upgrades).
// Usage: node bench/hostile-reconnect.ts [--minutes 3] [--fail-after-ms 2100] [--max-reconnect-attempts 100]
import { AWSTranscribeSTTService } from '../dist/adapters/node.js';
import type { AWSTranscribeSTTServiceOptions } from '../dist/adapters/node.js';
import { monoToneInt16 } from '../test/hostile/audio.ts';
import { KEYS } from '../test/hostile/secrets.ts';
import { startServer } from '../test/hostile/server.ts';
import type { Conn, HostileServer } from '../test/hostile/server.ts';
import { exceptionFrame } from '../test/hostile/wire.ts';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} needs a number`);
  return v;
}

const minutes = arg('minutes', 3);
const failAfterMs = arg('fail-after-ms', 2100);
const maxReconnectAttempts = arg('max-reconnect-attempts', 100);
const t0 = performance.now();
const since = (): number => Math.round(performance.now() - t0);

const MODES: Record<string, (c: Conn) => void> = {
  close: (c) => c.close(1000),
  limit: (c) => {
    c.send(exceptionFrame('LimitExceededException', 'You have reached your limit of concurrent streams.'));
    setTimeout(() => c.close(1000), 20);
  },
};

interface Run {
  mode: string;
  server: HostileServer;
  stt: AWSTranscribeSTTService;
  errors: Map<string, number>;
  fatal: string | undefined;
}

const runs: Run[] = [];
for (const [mode, fail] of Object.entries(MODES)) {
  const server = await startServer(
    { open: (c) => void setTimeout(() => fail(c), failAfterMs) },
    { since, signature: () => undefined },
  );
  const options: AWSTranscribeSTTServiceOptions = {
    endpoint: server.endpoint,
    region: 'us-east-1',
    awsAccessKeyId: KEYS.accessKeyId,
    apiKey: KEYS.secretAccessKey,
    awsSessionToken: KEYS.sessionToken,
    maxReconnectAttempts,
    stopTimeoutMs: 1500,
    logger: {},
  };
  const stt = new AWSTranscribeSTTService(options);
  const run: Run = { mode, server, stt, errors: new Map(), fatal: undefined };
  stt.on('error', (f) => {
    run.errors.set(f.error.code, (run.errors.get(f.error.code) ?? 0) + 1);
    if (f.fatal) run.fatal ??= `${f.error.code} at ${(since() / 1000).toFixed(1)} s`;
  });
  runs.push(run);
}

await Promise.all(runs.map((r) => r.stt.start({ sampleRate: 16000 }).catch(() => undefined)));
const pcm = monoToneInt16(1600, 16000);
const pusher = setInterval(() => {
  for (const r of runs) {
    try {
      if (r.stt.state === 'running') r.stt.pushAudio(pcm);
    } catch {
      // a push refused after a fatal error: the count says it
    }
  }
}, 100);

const opened = (r: Run, from: number, to: number): number =>
  r.server.record.connections.filter((c) => c.openedAt !== undefined && c.openedAt >= from && c.openedAt < to).length;

console.log(
  `servers fail each stream ${failAfterMs} ms after it opens; maxReconnectAttempts ${maxReconnectAttempts}; ` +
    `${minutes} min`,
);
for (let m = 0; m < minutes; m++) {
  const end = (m + 1) * 60_000;
  await new Promise((r) => setTimeout(r, Math.max(0, end - since())));
  console.log(`minute ${m + 1}: ${runs.map((r) => `${r.mode} ${opened(r, m * 60_000, end)} streams`).join(', ')}`);
}
clearInterval(pusher);

const result = runs.map((r) => ({
  mode: r.mode,
  perMinute: Array.from({ length: minutes }, (_, m) => opened(r, m * 60_000, (m + 1) * 60_000)),
  total: opened(r, 0, minutes * 60_000),
  lastMinute: opened(r, (minutes - 1) * 60_000, minutes * 60_000),
  errors: Object.fromEntries(r.errors),
  fatal: r.fatal ?? null,
  state: r.stt.state,
}));
for (const r of runs) await r.stt.stop().catch(() => undefined);
for (const r of runs) r.stt.cancel();
for (const r of runs) await r.server.close();
console.log(
  JSON.stringify({ bench: 'hostile-reconnect', failAfterMs, maxReconnectAttempts, minutes, result }, null, 1),
);
process.exit(0);
