/**
 * The language codes Amazon Transcribe accepts for streaming (`language-code`, `language-options`,
 * `preferred-language`): the LanguageCode enum of the service model as shipped in
 * @aws-sdk/client-transcribe-streaming 3.1141.0 (99 codes). Which features each language supports
 * (diarization, PII, custom models, language identification) varies; see the supported-languages
 * table in the Transcribe docs.
 */

/** In the SDK enum's order; `StreamingLanguageCode` is derived from this list, so it is written once. */
// biome-ignore format: ten codes a row, as a table to scan (one a line would be 99 lines)
export const STREAMING_LANGUAGE_CODES = [
  // The 54 codes of the 2025-04 service model.
  'en-US', 'en-GB', 'es-US', 'fr-CA', 'fr-FR', 'en-AU', 'it-IT', 'de-DE', 'pt-BR', 'ja-JP',
  'ko-KR', 'zh-CN', 'th-TH', 'es-ES', 'ar-SA', 'pt-PT', 'ca-ES', 'ar-AE', 'hi-IN', 'zh-HK',
  'nl-NL', 'no-NO', 'sv-SE', 'pl-PL', 'fi-FI', 'zh-TW', 'en-IN', 'en-IE', 'en-NZ', 'en-AB',
  'en-ZA', 'en-WL', 'de-CH', 'af-ZA', 'eu-ES', 'hr-HR', 'cs-CZ', 'da-DK', 'fa-IR', 'gl-ES',
  'el-GR', 'he-IL', 'id-ID', 'lv-LV', 'ms-MY', 'ro-RO', 'ru-RU', 'sr-RS', 'sk-SK', 'so-SO',
  'tl-PH', 'uk-UA', 'vi-VN', 'zu-ZA',
  // The ones later models added.
  'am-ET', 'be-BY', 'bg-BG', 'bn-IN', 'bs-BA', 'ckb-IQ', 'ckb-IR', 'cy-WL', 'es-MX', 'et-ET',
  'fa-AF', 'gu-IN', 'ht-HT', 'hu-HU', 'hy-AM', 'is-IS', 'jv-ID', 'ka-GE', 'kab-DZ', 'kk-KZ',
  'km-KH', 'kn-IN', 'lg-IN', 'lt-LT', 'mk-MK', 'ml-IN', 'mr-IN', 'my-MM', 'ne-NP', 'or-IN',
  'pa-IN', 'ps-AF', 'si-LK', 'sl-SI', 'sq-AL', 'su-ID', 'sw-BI', 'sw-KE', 'sw-RW', 'sw-TZ',
  'sw-UG', 'ta-IN', 'te-IN', 'tr-TR', 'uz-UZ',
] as const;

export type StreamingLanguageCode = (typeof STREAMING_LANGUAGE_CODES)[number];

const SET: ReadonlySet<string> = new Set<string>(STREAMING_LANGUAGE_CODES);

/** Whether `code` is one of `STREAMING_LANGUAGE_CODES` (exact spelling, e.g. `en-US`). */
export function isStreamingLanguageCode(code: string): code is StreamingLanguageCode {
  return SET.has(code);
}
