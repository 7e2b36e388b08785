#!/usr/bin/env node
/**
 * The `transcribe-stream` command (package.json "bin"); everything it does lives in ./cli/.
 * Exits explicitly once a run is over, so no idle socket or timer keeps the process alive.
 */
import { main } from './cli/main.js';

// `transcribe-stream … | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const code = await main(process.argv.slice(2));
if (code !== undefined) {
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}
