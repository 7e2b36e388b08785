/**
 * `npm run demo:web`: starts the web demo (server.ts) and says where to open it. Ctrl+C stops it.
 * Usage: node dist/cli/web-demo/main.js [--port 8787] [--host 127.0.0.1]
 */

import { startWebDemo } from './server.js';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const port = Number(flag('--port', '8787'));
const host = flag('--host', '127.0.0.1');
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a port number, got ${flag('--port', '')}\n`);
  process.exit(2);
}

try {
  const demo = await startWebDemo({ port, host });
  const kb = (n: number): string => `${(n / 1000).toFixed(1)} KB`;
  process.stdout.write(
    `transcribe-stream web demo: open ${demo.url} and allow the microphone\n` +
      `  the emulator listens on ${demo.emulator.endpoint}; each stream's URL is signed by presignedUrlHandler (POST ` +
      `/transcribe-url)\n` +
      `  the page's bundle: ${kb(demo.page.gzip)} gzip (${kb(demo.page.min)} minified), no AWS credentials and no ` +
      `signing code\n` +
      '  Ctrl+C stops it\n',
  );
  const stop = (): void => {
    void demo.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  const why = e.code === 'EADDRINUSE' ? `port ${port} is in use: pass another with --port` : e.message;
  process.stderr.write(`web demo: ${why}\n`);
  process.exit(1);
}
