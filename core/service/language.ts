/**
 * Languages, shaped like Pipecat's `Language` enum (values are BCP-47 tags), and the map to Amazon
 * Transcribe streaming language codes, as Pipecat's AWS service maps them (`services/aws/stt.py`,
 * `language_to_service_language`). Members:
 * - every streaming code AWS lists (EN_US = 'en-US', CKB_IQ = 'ckb-IQ', …), mapped to itself;
 * - every bare language of those codes (EN = 'en'), mapped to one dialect: Pipecat's choice where
 *   AWS has several (DEFAULT_DIALECTS), else the only one;
 * - Pipecat's members AWS spells otherwise (ALIASES: Filipino is AWS's Tagalog, Bokmål its `no`,
 *   Cantonese its zh-HK).
 * A const object rather than a TS enum so that it is erasable syntax; its exact type is derived
 * from the same lists, so each code is written once.
 */

import { editDistance } from './edit-distance.js';
import { OptionError } from '../errors.js';
import { STREAMING_LANGUAGE_CODES } from '../transcribe/language-codes.js';
import type { StreamingLanguageCode } from '../transcribe/language-codes.js';
import { describeValue } from '../sigv4/redact.js';

/** Pipecat's members whose value is not an AWS code or language: value -> AWS code (as Pipecat maps them). */
const ALIASES = { fil: 'tl-PH', 'fil-PH': 'tl-PH', nb: 'no-NO', 'nb-NO': 'no-NO', yue: 'zh-HK' } as const;

/**
 * Bare language -> its dialect, for every language AWS streams in several dialects (Pipecat's choice where it
 * has one).
 */
const DEFAULT_DIALECTS: Readonly<Record<string, StreamingLanguageCode>> = {
  ar: 'ar-SA',
  ckb: 'ckb-IQ',
  de: 'de-DE',
  en: 'en-US',
  es: 'es-ES',
  fa: 'fa-IR',
  fr: 'fr-FR',
  pt: 'pt-PT',
  sw: 'sw-KE',
  zh: 'zh-CN',
};

const SUPPORTED_LANGUAGES_DOC = 'https://docs.aws.amazon.com/transcribe/latest/dg/supported-languages.html';

type Bare<C> = C extends `${infer L}-${string}` ? L : never;
type Value = StreamingLanguageCode | Bare<StreamingLanguageCode> | keyof typeof ALIASES;
/** `en-US` -> `EN_US`. */
type Key<V extends string> = Uppercase<V extends `${infer L}-${infer R}` ? `${L}_${R}` : V>;
type LanguageMap = { readonly [V in Value as Key<V>]: V };

const languageOf = (code: string): string => code.slice(0, code.indexOf('-'));

/** Language value -> AWS streaming code. */
const TO_AWS = new Map<string, string>(Object.entries(ALIASES));
for (const code of STREAMING_LANGUAGE_CODES) {
  TO_AWS.set(code, code);
  const language = languageOf(code);
  if (!TO_AWS.has(language)) TO_AWS.set(language, DEFAULT_DIALECTS[language] ?? code);
}

function keyOf(value: string): string {
  return value.toUpperCase().replace('-', '_');
}

// Members in key order, as the written-out enum had them (suggestions break ties by it).
export const Language: LanguageMap = Object.fromEntries(
  [...TO_AWS.keys()].map((value) => [keyOf(value), value]).sort(([a], [b]) => (a! < b! ? -1 : 1)),
) as LanguageMap;

export type Language = (typeof Language)[keyof typeof Language];

/** Lower-cased code or Language value -> AWS code. */
const INDEX = new Map<string, string>();
for (const [value, code] of TO_AWS) INDEX.set(value.toLowerCase(), code);

/** How people write a tag we look up: trimmed, `_` as `-`, lower case. */
function normalize(input: string): string {
  return input.trim().replace(/_/g, '-').toLowerCase();
}

/**
 * The AWS streaming code for a `Language` value or a raw AWS code (`'en'`, `'en-US'`, `'EN_us'`,
 * `'nb'`, `'yue'` all work), or `undefined` when AWS has no streaming code for it.
 */
export function languageToAws(language: string): string | undefined {
  return typeof language === 'string' ? INDEX.get(normalize(language)) : undefined;
}

/**
 * Like `languageToAws`, but an unknown language is an `OptionError` that suggests a close code, or says where
 * to look.
 */
export function resolveLanguage(language: string, option = 'language'): string {
  const code = languageToAws(language);
  if (code !== undefined) return code;
  const what = `${describeValue(language)} is not an Amazon Transcribe streaming language`;
  const hint = suggestLanguage(language);
  if (hint === undefined)
    throw new OptionError(
      option,
      `${what}; use a Language value or a code from STREAMING_LANGUAGE_CODES (${SUPPORTED_LANGUAGES_DOC})`,
    );
  const dialects = STREAMING_LANGUAGE_CODES.filter((c) => languageOf(c) === languageOf(hint));
  throw new OptionError(
    option,
    `${what}; did you mean "${hint}"?${dialects.length > 1 ? ` (${languageOf(hint)}: ${dialects.join(', ')})` : ''}`,
  );
}

/**
 * A supported code close to `input`, if one is genuinely close:
 * - a known language with an unknown or missing region: the dialect whose region is given (or
 *   starts the one given: en-AUS, zh-Hant-TW), else the language's default (en-XX -> en-US);
 * - a bare region that only one code has (jp -> ja-JP);
 * - otherwise the code or language one edit away (two for 6+ characters): eng -> en-US,
 *   enus -> en-US. Anything further (xx-YY) gets no suggestion.
 */
export function suggestLanguage(input: string): string | undefined {
  if (typeof input !== 'string') return undefined;
  // "UK" is how people write the region ISO 3166 calls GB.
  const needle = normalize(input).replace(/-uk$/, '-gb');
  const exact = INDEX.get(needle);
  if (exact !== undefined) return exact;

  const [language = '', ...regions] = needle.split('-');
  const fallback = INDEX.get(language);
  if (fallback !== undefined) {
    // An alias (yue, fil, nb) names another language than its code's: its regions say nothing.
    if (languageOf(fallback) !== language) return fallback;
    const dialects = STREAMING_LANGUAGE_CODES.filter((c) => languageOf(c) === languageOf(fallback));
    for (const region of regions) {
      const dialect = dialects.find((c) => region.startsWith(c.slice(c.indexOf('-') + 1).toLowerCase()));
      if (dialect) return dialect;
    }
    return fallback;
  }

  if (/^[a-z]{2}$/.test(needle)) {
    const withRegion = STREAMING_LANGUAGE_CODES.filter((c) => c.toLowerCase().endsWith(`-${needle}`));
    if (withRegion.length === 1) return withRegion[0];
  }

  if (needle.length < 3) return undefined;
  let best: string | undefined;
  let bestDistance = (needle.length >= 6 ? 2 : 1) + 1;
  for (const [lower, code] of INDEX) {
    const d = editDistance(needle, lower);
    if (d < bestDistance) {
      bestDistance = d;
      best = code;
    }
  }
  return best;
}
