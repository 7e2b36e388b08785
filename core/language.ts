/**
 * Languages, shaped like Pipecat's `Language` enum (values are BCP-47 tags), and the map to Amazon
 * Transcribe streaming language codes. Every streaming code AWS lists has its own member (EN_US,
 * CKB_IQ, …); bare languages map to the dialect Pipecat chose (EN -> en-US, ES -> es-ES,
 * PT -> pt-PT, ZH -> zh-CN, NB/NO -> no-NO), or the only one AWS offers.
 * A const object rather than a TS enum so that it is erasable syntax.
 */

import { editDistance } from './edit-distance.js';
import { OptionError } from './errors.js';
import { STREAMING_LANGUAGE_CODES } from './language-codes.js';

export const Language = {
  AF: 'af',
  AF_ZA: 'af-ZA',
  AM: 'am',
  AM_ET: 'am-ET',
  AR: 'ar',
  AR_AE: 'ar-AE',
  AR_SA: 'ar-SA',
  BE: 'be',
  BE_BY: 'be-BY',
  BG: 'bg',
  BG_BG: 'bg-BG',
  BN: 'bn',
  BN_IN: 'bn-IN',
  BS: 'bs',
  BS_BA: 'bs-BA',
  CA: 'ca',
  CA_ES: 'ca-ES',
  CKB: 'ckb',
  CKB_IQ: 'ckb-IQ',
  CKB_IR: 'ckb-IR',
  CS: 'cs',
  CS_CZ: 'cs-CZ',
  CY: 'cy',
  CY_WL: 'cy-WL',
  DA: 'da',
  DA_DK: 'da-DK',
  DE: 'de',
  DE_CH: 'de-CH',
  DE_DE: 'de-DE',
  EL: 'el',
  EL_GR: 'el-GR',
  EN: 'en',
  EN_AB: 'en-AB',
  EN_AU: 'en-AU',
  EN_GB: 'en-GB',
  EN_IE: 'en-IE',
  EN_IN: 'en-IN',
  EN_NZ: 'en-NZ',
  EN_US: 'en-US',
  EN_WL: 'en-WL',
  EN_ZA: 'en-ZA',
  ES: 'es',
  ES_ES: 'es-ES',
  ES_MX: 'es-MX',
  ES_US: 'es-US',
  ET: 'et',
  ET_ET: 'et-ET',
  EU: 'eu',
  EU_ES: 'eu-ES',
  FA: 'fa',
  FA_AF: 'fa-AF',
  FA_IR: 'fa-IR',
  FI: 'fi',
  FIL: 'fil',
  FI_FI: 'fi-FI',
  FR: 'fr',
  FR_CA: 'fr-CA',
  FR_FR: 'fr-FR',
  GL: 'gl',
  GL_ES: 'gl-ES',
  GU: 'gu',
  GU_IN: 'gu-IN',
  HE: 'he',
  HE_IL: 'he-IL',
  HI: 'hi',
  HI_IN: 'hi-IN',
  HR: 'hr',
  HR_HR: 'hr-HR',
  HT: 'ht',
  HT_HT: 'ht-HT',
  HU: 'hu',
  HU_HU: 'hu-HU',
  HY: 'hy',
  HY_AM: 'hy-AM',
  ID: 'id',
  ID_ID: 'id-ID',
  IS: 'is',
  IS_IS: 'is-IS',
  IT: 'it',
  IT_IT: 'it-IT',
  JA: 'ja',
  JA_JP: 'ja-JP',
  JV: 'jv',
  JV_ID: 'jv-ID',
  KA: 'ka',
  KAB: 'kab',
  KAB_DZ: 'kab-DZ',
  KA_GE: 'ka-GE',
  KK: 'kk',
  KK_KZ: 'kk-KZ',
  KM: 'km',
  KM_KH: 'km-KH',
  KN: 'kn',
  KN_IN: 'kn-IN',
  KO: 'ko',
  KO_KR: 'ko-KR',
  LG: 'lg',
  LG_IN: 'lg-IN',
  LT: 'lt',
  LT_LT: 'lt-LT',
  LV: 'lv',
  LV_LV: 'lv-LV',
  MK: 'mk',
  MK_MK: 'mk-MK',
  ML: 'ml',
  ML_IN: 'ml-IN',
  MR: 'mr',
  MR_IN: 'mr-IN',
  MS: 'ms',
  MS_MY: 'ms-MY',
  MY: 'my',
  MY_MM: 'my-MM',
  NB: 'nb',
  NB_NO: 'nb-NO',
  NE: 'ne',
  NE_NP: 'ne-NP',
  NL: 'nl',
  NL_NL: 'nl-NL',
  NO: 'no',
  NO_NO: 'no-NO',
  OR: 'or',
  OR_IN: 'or-IN',
  PA: 'pa',
  PA_IN: 'pa-IN',
  PL: 'pl',
  PL_PL: 'pl-PL',
  PS: 'ps',
  PS_AF: 'ps-AF',
  PT: 'pt',
  PT_BR: 'pt-BR',
  PT_PT: 'pt-PT',
  RO: 'ro',
  RO_RO: 'ro-RO',
  RU: 'ru',
  RU_RU: 'ru-RU',
  SI: 'si',
  SI_LK: 'si-LK',
  SK: 'sk',
  SK_SK: 'sk-SK',
  SL: 'sl',
  SL_SI: 'sl-SI',
  SO: 'so',
  SO_SO: 'so-SO',
  SQ: 'sq',
  SQ_AL: 'sq-AL',
  SR: 'sr',
  SR_RS: 'sr-RS',
  SU: 'su',
  SU_ID: 'su-ID',
  SV: 'sv',
  SV_SE: 'sv-SE',
  SW: 'sw',
  SW_BI: 'sw-BI',
  SW_KE: 'sw-KE',
  SW_RW: 'sw-RW',
  SW_TZ: 'sw-TZ',
  SW_UG: 'sw-UG',
  TA: 'ta',
  TA_IN: 'ta-IN',
  TE: 'te',
  TE_IN: 'te-IN',
  TH: 'th',
  TH_TH: 'th-TH',
  TL: 'tl',
  TL_PH: 'tl-PH',
  TR: 'tr',
  TR_TR: 'tr-TR',
  UK: 'uk',
  UK_UA: 'uk-UA',
  UZ: 'uz',
  UZ_UZ: 'uz-UZ',
  VI: 'vi',
  VI_VN: 'vi-VN',
  ZH: 'zh',
  ZH_CN: 'zh-CN',
  ZH_HK: 'zh-HK',
  ZH_TW: 'zh-TW',
  ZU: 'zu',
  ZU_ZA: 'zu-ZA',
} as const;

export type Language = (typeof Language)[keyof typeof Language];

/** Language value -> AWS streaming code, for the values whose code differs from the value. */
const ALIASES: Readonly<Record<string, string>> = {
  'af': 'af-ZA',
  'am': 'am-ET',
  'ar': 'ar-SA',
  'be': 'be-BY',
  'bg': 'bg-BG',
  'bn': 'bn-IN',
  'bs': 'bs-BA',
  'ca': 'ca-ES',
  'ckb': 'ckb-IQ',
  'cs': 'cs-CZ',
  'cy': 'cy-WL',
  'da': 'da-DK',
  'de': 'de-DE',
  'el': 'el-GR',
  'en': 'en-US',
  'es': 'es-ES',
  'et': 'et-ET',
  'eu': 'eu-ES',
  'fa': 'fa-IR',
  'fi': 'fi-FI',
  'fil': 'tl-PH',
  'fr': 'fr-FR',
  'gl': 'gl-ES',
  'gu': 'gu-IN',
  'he': 'he-IL',
  'hi': 'hi-IN',
  'hr': 'hr-HR',
  'ht': 'ht-HT',
  'hu': 'hu-HU',
  'hy': 'hy-AM',
  'id': 'id-ID',
  'is': 'is-IS',
  'it': 'it-IT',
  'ja': 'ja-JP',
  'jv': 'jv-ID',
  'ka': 'ka-GE',
  'kab': 'kab-DZ',
  'kk': 'kk-KZ',
  'km': 'km-KH',
  'kn': 'kn-IN',
  'ko': 'ko-KR',
  'lg': 'lg-IN',
  'lt': 'lt-LT',
  'lv': 'lv-LV',
  'mk': 'mk-MK',
  'ml': 'ml-IN',
  'mr': 'mr-IN',
  'ms': 'ms-MY',
  'my': 'my-MM',
  'nb': 'no-NO',
  'nb-NO': 'no-NO',
  'ne': 'ne-NP',
  'nl': 'nl-NL',
  'no': 'no-NO',
  'or': 'or-IN',
  'pa': 'pa-IN',
  'pl': 'pl-PL',
  'ps': 'ps-AF',
  'pt': 'pt-PT',
  'ro': 'ro-RO',
  'ru': 'ru-RU',
  'si': 'si-LK',
  'sk': 'sk-SK',
  'sl': 'sl-SI',
  'so': 'so-SO',
  'sq': 'sq-AL',
  'sr': 'sr-RS',
  'su': 'su-ID',
  'sv': 'sv-SE',
  'sw': 'sw-KE',
  'ta': 'ta-IN',
  'te': 'te-IN',
  'th': 'th-TH',
  'tl': 'tl-PH',
  'tr': 'tr-TR',
  'uk': 'uk-UA',
  'uz': 'uz-UZ',
  'vi': 'vi-VN',
  'zh': 'zh-CN',
  'zu': 'zu-ZA',
};

let byLowerCase: Map<string, string> | undefined;

function codeIndex(): Map<string, string> {
  if (!byLowerCase) {
    byLowerCase = new Map();
    for (const code of STREAMING_LANGUAGE_CODES) byLowerCase.set(code.toLowerCase(), code);
    for (const value of Object.values(Language)) {
      const lower = value.toLowerCase();
      if (!byLowerCase.has(lower)) byLowerCase.set(lower, ALIASES[value] ?? value);
    }
  }
  return byLowerCase;
}

/**
 * The AWS streaming code for a `Language` value or a raw AWS code (`'en'`, `'en-US'`, `'EN_us'`,
 * `'nb'` all work), or `undefined` when AWS has no streaming code for it.
 */
export function languageToAws(language: string): string | undefined {
  return codeIndex().get(language.trim().replace(/_/g, '-').toLowerCase());
}

/** Like `languageToAws`, but an unknown language is an `OptionError` that suggests the closest code. */
export function resolveLanguage(language: string, option = 'language'): string {
  const code = languageToAws(language);
  if (code !== undefined) return code;
  const hint = suggestLanguage(language);
  throw new OptionError(
    option,
    `"${language}" is not an Amazon Transcribe streaming language` +
      (hint ? `; did you mean "${hint}"?` : '; see Language for the supported codes'),
  );
}

/** The supported code closest to `input` (edit distance, case-insensitive), if any is close. */
export function suggestLanguage(input: string): string | undefined {
  // "UK" is how people write the region ISO 3166 calls GB.
  const needle = input.trim().replace(/_/g, '-').toLowerCase().replace(/-uk$/, '-gb');
  const exact = codeIndex().get(needle);
  if (exact !== undefined) return exact;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.ceil(needle.length / 2)) + 1;
  for (const [lower, code] of codeIndex()) {
    const d = editDistance(needle, lower);
    if (d < bestDistance) {
      bestDistance = d;
      best = code;
    }
  }
  return best;
}
