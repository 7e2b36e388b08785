/**
 * Languages, shaped like Pipecat's `Language` enum (values are BCP-47 tags), and the map to Amazon
 * Transcribe streaming language codes. Every streaming code AWS lists has its own member (EN_US,
 * CKB_IQ, …); bare languages map to the dialect Pipecat chose (EN -> en-US, ES -> es-ES,
 * PT -> pt-PT, ZH -> zh-CN, NB/NO -> no-NO), or the only one AWS offers.
 * A const object rather than a TS enum so that it is erasable syntax; built at init from
 * STREAMING_LANGUAGE_CODES, with its exact type derived from the same list.
 */

import { editDistance } from './edit-distance.js';
import { OptionError } from './errors.js';
import { STREAMING_LANGUAGE_CODES } from './language-codes.js';
import type { StreamingLanguageCode } from './language-codes.js';

/** Pipecat's names AWS spells otherwise (Filipino is AWS's Tagalog, Bokmål its `no`). */
const OTHER_NAMES = { fil: 'tl-PH', nb: 'no-NO', 'nb-NO': 'no-NO' } as const;

/**
 * Pipecat's dialect for the bare languages whose first code in STREAMING_LANGUAGE_CODES is another
 * one (es-US, fr-CA, pt-BR, sw-BI); every other bare language maps to its first code there.
 */
const DEFAULT_DIALECTS = ['es-ES', 'fr-FR', 'pt-PT', 'sw-KE'];

type Bare<C> = C extends `${infer L}-${string}` ? L : never;
type Value = StreamingLanguageCode | Bare<StreamingLanguageCode> | keyof typeof OTHER_NAMES;
/** `en-US` -> `EN_US`. */
type Key<V extends string> = Uppercase<V extends `${infer L}-${infer R}` ? `${L}_${R}` : V>;
type LanguageMap = { readonly [V in Value as Key<V>]: V };

/** Language value -> AWS streaming code (a code maps to itself). */
const AWS: Record<string, string> = { ...OTHER_NAMES };
for (const code of [...DEFAULT_DIALECTS, ...STREAMING_LANGUAGE_CODES]) {
  AWS[code] = code;
  AWS[code.slice(0, code.indexOf('-'))] ??= code;
}

function keyOf(value: string): string {
  return value.toUpperCase().replace('-', '_');
}

// Members in key order, as the written-out enum had them (suggestLanguage breaks ties by it).
export const Language: LanguageMap = Object.fromEntries(
  Object.keys(AWS)
    .map((value) => [keyOf(value), value])
    .sort(([a], [b]) => (a! < b! ? -1 : 1)),
) as LanguageMap;

export type Language = (typeof Language)[keyof typeof Language];

/** Lower-cased code or Language value -> AWS code: the codes first, then the other values. */
const INDEX = new Map<string, string>();
for (const code of STREAMING_LANGUAGE_CODES) INDEX.set(code.toLowerCase(), code);
for (const value of Object.values(Language)) {
  const lower = value.toLowerCase();
  if (!INDEX.has(lower)) INDEX.set(lower, AWS[value]!);
}

/**
 * The AWS streaming code for a `Language` value or a raw AWS code (`'en'`, `'en-US'`, `'EN_us'`,
 * `'nb'` all work), or `undefined` when AWS has no streaming code for it.
 */
export function languageToAws(language: string): string | undefined {
  return INDEX.get(language.trim().replace(/_/g, '-').toLowerCase());
}

/** Like `languageToAws`, but an unknown language is an `OptionError` that suggests the closest code. */
export function resolveLanguage(language: string, option = 'language'): string {
  const code = languageToAws(language);
  if (code !== undefined) return code;
  const hint = suggestLanguage(language);
  throw new OptionError(
    option,
    `"${language}" is not an Amazon Transcribe streaming language` + (hint ? `; did you mean "${hint}"?` : '; see Language for the supported codes'),
  );
}

/** The supported code closest to `input` (edit distance, case-insensitive), if any is close. */
export function suggestLanguage(input: string): string | undefined {
  // "UK" is how people write the region ISO 3166 calls GB.
  const needle = input.trim().replace(/_/g, '-').toLowerCase().replace(/-uk$/, '-gb');
  let best = INDEX.get(needle);
  if (best !== undefined) return best;
  let bestDistance = Math.max(2, Math.ceil(needle.length / 2)) + 1;
  for (const [lower, code] of INDEX) {
    const d = editDistance(needle, lower);
    if (d < bestDistance) {
      bestDistance = d;
      best = code;
    }
  }
  return best;
}
