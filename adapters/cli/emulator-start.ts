/**
 * --emulator: the bundled emulator, started in this process for one run. Its script is the
 * transcript beside the audio (demo.wav -> demo.txt) when there is one, so the output matches
 * what the file says; otherwise numbered generic utterances.
 */

import { readFile } from 'node:fs/promises';
import { format, parse, relative } from 'node:path';
import type { Emulator } from '../../emulator/index.js';
import { CliError, EXIT_FAILURE } from './cli-error.js';

export interface BundledEmulator {
  emulator: Emulator;
  /** Where the script came from, for the user. */
  scriptSource: string;
}

/** Enough generic utterances for a long file; the emulator says nothing once its script runs out. */
const GENERIC_UTTERANCES = 1000;

export async function startBundledEmulator(o: { input: string; script: string | undefined }): Promise<BundledEmulator> {
  let script: string[];
  let scriptSource: string;
  if (o.script !== undefined) {
    const text = await readText(o.script);
    if (text === undefined) throw new CliError(`--script: cannot read ${o.script}`);
    script = scriptLines(text);
    scriptSource = o.script;
  } else {
    const beside = o.input === '-' ? undefined : format({ ...parse(o.input), base: undefined, ext: '.txt' });
    const text = beside === undefined ? undefined : await readText(beside);
    if (beside !== undefined && text !== undefined) {
      script = scriptLines(text);
      scriptSource = relative(process.cwd(), beside) || beside;
    } else {
      script = Array.from({ length: GENERIC_UTTERANCES }, (_, i) => `Utterance ${i + 1} from the emulator.`);
      scriptSource = 'a generic script (no transcript beside the audio)';
    }
  }
  let mod: typeof import('../../emulator/index.js');
  try {
    mod = await import('../../emulator/index.js');
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/'ws'/.test(message)) {
      throw new CliError('the emulator needs the optional peer package ws: npm install ws', EXIT_FAILURE);
    }
    throw err;
  }
  return { emulator: await mod.startEmulator({ script }), scriptSource };
}

/** One utterance per line; blank lines and # comments skipped (as `transcribe-stream emulator --script`). */
export function scriptLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}
