#!/usr/bin/env node
/**
 * The `transcribe-stream` command (package.json "bin"); everything it does lives in this folder.
 * The Node version is checked first, by a module that imports nothing, and the command is loaded
 * only after it: an old Node then prints one line instead of a link error from deep inside.
 * Exits explicitly once a run is over, so no idle socket or timer keeps the process alive.
 */
import { nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem !== undefined) {
  process.stderr.write(`${problem}\n`);
  process.exit(2);
}

// `transcribe-stream … | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const { main } = await import('./main.js');
const code = await main(process.argv.slice(2));
if (code !== undefined) {
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}
