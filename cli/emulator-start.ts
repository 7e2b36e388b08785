/**
 * --emulator: the bundled emulator, started in this process for one run. Its script is the
 * transcript beside the audio (demo.wav -> demo.txt) when there is one, so the output matches
 * what the file says; otherwise numbered generic utterances. A script line may start with the
 * labels the output prints: `[speaker 1] Hello.` makes the emulator label that utterance's words
 * as speaker 1 (with --speaker-labels), `[es-US] Hola.` identifies it as Spanish (with
 * --identify-language).
 */

import { readFile } from 'node:fs/promises';
import { format, parse, relative } from 'node:path';
import type { Emulator, ScriptEntry } from '../emulator/index.js';
import { CliError } from './cli-error.js';

export interface BundledEmulator {
  emulator: Emulator;
  /** Where the script came from, for the user. */
  scriptSource: string;
}

/** Enough generic utterances for a long file; the emulator says nothing once its script runs out. */
const GENERIC_UTTERANCES = 1000;

export async function startBundledEmulator(o: {
  input: string;
  script: string | undefined;
  /** A script the caller already has (the demo's). */
  lines?: { lines: string[]; source: string } | undefined;
}): Promise<BundledEmulator> {
  let script: ScriptEntry[];
  let scriptSource: string;
  if (o.lines !== undefined && o.script === undefined) {
    script = o.lines.lines.map(scriptEntry);
    scriptSource = o.lines.source;
  } else if (o.script !== undefined) {
    const text = await readText(o.script);
    if (text === undefined) throw new CliError(`--script: cannot read ${o.script}`);
    script = scriptLines(text);
    scriptSource = o.script;
  } else {
    const beside = besideScript(o.input);
    const text = beside === undefined ? undefined : await readText(beside);
    if (beside !== undefined && text !== undefined) {
      script = scriptLines(text);
      scriptSource = relative(process.cwd(), beside) || beside;
    } else {
      script = Array.from({ length: GENERIC_UTTERANCES }, (_, i) => `Utterance ${i + 1} from the emulator.`);
      scriptSource = 'a generic script (no transcript beside the audio)';
    }
  }
  const { startEmulator } = await import('../emulator/index.js');
  return { emulator: await startEmulator({ script }), scriptSource };
}

/** The transcript beside an input file that --emulator reads as its script (demo.wav -> demo.txt). */
export function besideScript(input: string): string | undefined {
  return input === '-' ? undefined : format({ ...parse(input), base: undefined, ext: '.txt' });
}

/** One utterance per line; blank lines and # comments skipped (as `transcribe-stream emulator --script`). */
export function scriptLines(text: string): ScriptEntry[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map(scriptEntry);
}

/** `[es-US] [speaker 1] text` -> { text, languageCode, speaker }; a plain line stays a string. */
export function scriptEntry(line: string): ScriptEntry {
  let rest = line;
  let speaker: string | undefined;
  let languageCode: string | undefined;
  for (;;) {
    const m = /^\[(?:speaker\s+(\w+)|([a-z]{2}-[A-Z]{2}))\]\s*/.exec(rest);
    if (!m) break;
    if (m[1] !== undefined) speaker = m[1];
    else languageCode = m[2];
    rest = rest.slice(m[0].length);
  }
  if (speaker === undefined && languageCode === undefined) return line;
  return {
    text: rest,
    ...(speaker !== undefined ? { speaker } : {}),
    ...(languageCode !== undefined ? { languageCode } : {}),
  };
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}
