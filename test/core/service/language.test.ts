import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  Language,
  languageToAws,
  OptionError,
  resolveLanguage,
  STREAMING_LANGUAGE_CODES,
  suggestLanguage,
} from '../../../dist/core/index.js';
import { editDistance } from '../../../dist/core/service/edit-distance.js';
import { joinRegExp } from '../../helpers/regexp.ts';

test('every AWS streaming code has a member and maps to itself, in any case or separator', () => {
  assert.is(STREAMING_LANGUAGE_CODES.length, 99);
  const values = new Set<string>(Object.values(Language));
  for (const code of STREAMING_LANGUAGE_CODES) {
    assert.ok(values.has(code), `Language has ${code}`);
    assert.is(languageToAws(code), code);
    assert.is(languageToAws(code.toUpperCase().replace('-', '_')), code);
  }
});

test("bare languages map to Pipecat's defaults", () => {
  const expect: Record<string, string> = {
    EN: 'en-US',
    ES: 'es-ES',
    PT: 'pt-PT',
    ZH: 'zh-CN',
    NB: 'no-NO',
    NO: 'no-NO',
    FR: 'fr-FR',
    DE: 'de-DE',
    AR: 'ar-SA',
    TL: 'tl-PH',
  };
  for (const [key, code] of Object.entries(expect))
    assert.is(languageToAws(Language[key as keyof typeof Language]), code, key);
  assert.is(languageToAws(Language.NB_NO), 'no-NO');
});

test('every Language value resolves to a streaming code', () => {
  const codes = new Set<string>(STREAMING_LANGUAGE_CODES);
  for (const [key, value] of Object.entries(Language))
    assert.ok(codes.has(languageToAws(value) ?? ''), `${key} = ${value}`);
});

test("Language: a member per code and bare language, plus Pipecat's FIL, FIL_PH, NB, NB_NO, YUE; in order", () => {
  const keys = Object.keys(Language);
  const bare = new Set(STREAMING_LANGUAGE_CODES.map((c) => c.slice(0, c.indexOf('-'))));
  assert.is(keys.length, STREAMING_LANGUAGE_CODES.length + bare.size + 5);
  assert.equal(keys, [...keys].sort(), 'members sorted by key, as the written-out enum had them');
  for (const [key, value] of Object.entries(Language)) assert.is(key, value.toUpperCase().replace('-', '_'));
  assert.is(Language.FIL, 'fil');
  assert.is(Language.FIL_PH, 'fil-PH');
  assert.is(Language.YUE, 'yue');
  assert.is(Language.NB_NO, 'nb-NO');
  assert.is(Language.CKB_IQ, 'ckb-IQ');
  // Every language with several dialects, and the one a bare name picks.
  const defaults: Record<string, string> = {
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
    fil: 'tl-PH',
  };
  for (const [value, code] of Object.entries(defaults)) assert.is(languageToAws(value), code, value);
  for (const b of bare) {
    const dialects = STREAMING_LANGUAGE_CODES.filter((c) => c.startsWith(`${b}-`));
    if (dialects.length === 1) assert.is(languageToAws(b), dialects[0], b);
    else assert.ok(b in defaults, `${b} has ${dialects.length} dialects: its default is pinned above`);
  }
});

/**
 * Pipecat's AWS language map, as data: `language_to_service_language` in
 * src/pipecat/services/aws/stt.py of pipecat-ai/pipecat at acead0507d7de44e216d24533964106ca1d1d044
 * (2026-08-21), each member with its value from src/pipecat/transcriptions/language.py.
 * [member, Pipecat's value, AWS code]
 */
const PIPECAT_AWS_MAP: [string, string, string][] = [
  ['AF', 'af', 'af-ZA'],
  ['AF_ZA', 'af-ZA', 'af-ZA'],
  ['AR', 'ar', 'ar-SA'],
  ['AR_AE', 'ar-AE', 'ar-AE'],
  ['AR_SA', 'ar-SA', 'ar-SA'],
  ['EU', 'eu', 'eu-ES'],
  ['EU_ES', 'eu-ES', 'eu-ES'],
  ['CA', 'ca', 'ca-ES'],
  ['CA_ES', 'ca-ES', 'ca-ES'],
  ['ZH', 'zh', 'zh-CN'],
  ['ZH_CN', 'zh-CN', 'zh-CN'],
  ['ZH_TW', 'zh-TW', 'zh-TW'],
  ['ZH_HK', 'zh-HK', 'zh-HK'],
  ['YUE', 'yue', 'zh-HK'],
  ['HR', 'hr', 'hr-HR'],
  ['HR_HR', 'hr-HR', 'hr-HR'],
  ['CS', 'cs', 'cs-CZ'],
  ['CS_CZ', 'cs-CZ', 'cs-CZ'],
  ['DA', 'da', 'da-DK'],
  ['DA_DK', 'da-DK', 'da-DK'],
  ['NL', 'nl', 'nl-NL'],
  ['NL_NL', 'nl-NL', 'nl-NL'],
  ['EN', 'en', 'en-US'],
  ['EN_AU', 'en-AU', 'en-AU'],
  ['EN_GB', 'en-GB', 'en-GB'],
  ['EN_IN', 'en-IN', 'en-IN'],
  ['EN_IE', 'en-IE', 'en-IE'],
  ['EN_NZ', 'en-NZ', 'en-NZ'],
  ['EN_ZA', 'en-ZA', 'en-ZA'],
  ['EN_US', 'en-US', 'en-US'],
  ['FA', 'fa', 'fa-IR'],
  ['FA_IR', 'fa-IR', 'fa-IR'],
  ['FI', 'fi', 'fi-FI'],
  ['FI_FI', 'fi-FI', 'fi-FI'],
  ['FR', 'fr', 'fr-FR'],
  ['FR_FR', 'fr-FR', 'fr-FR'],
  ['FR_CA', 'fr-CA', 'fr-CA'],
  ['GL', 'gl', 'gl-ES'],
  ['GL_ES', 'gl-ES', 'gl-ES'],
  ['KA', 'ka', 'ka-GE'],
  ['KA_GE', 'ka-GE', 'ka-GE'],
  ['DE', 'de', 'de-DE'],
  ['DE_DE', 'de-DE', 'de-DE'],
  ['DE_CH', 'de-CH', 'de-CH'],
  ['EL', 'el', 'el-GR'],
  ['EL_GR', 'el-GR', 'el-GR'],
  ['HE', 'he', 'he-IL'],
  ['HE_IL', 'he-IL', 'he-IL'],
  ['HI', 'hi', 'hi-IN'],
  ['HI_IN', 'hi-IN', 'hi-IN'],
  ['ID', 'id', 'id-ID'],
  ['ID_ID', 'id-ID', 'id-ID'],
  ['IT', 'it', 'it-IT'],
  ['IT_IT', 'it-IT', 'it-IT'],
  ['JA', 'ja', 'ja-JP'],
  ['JA_JP', 'ja-JP', 'ja-JP'],
  ['KO', 'ko', 'ko-KR'],
  ['KO_KR', 'ko-KR', 'ko-KR'],
  ['LV', 'lv', 'lv-LV'],
  ['LV_LV', 'lv-LV', 'lv-LV'],
  ['MS', 'ms', 'ms-MY'],
  ['MS_MY', 'ms-MY', 'ms-MY'],
  ['NB', 'nb', 'no-NO'],
  ['NB_NO', 'nb-NO', 'no-NO'],
  ['NO', 'no', 'no-NO'],
  ['PL', 'pl', 'pl-PL'],
  ['PL_PL', 'pl-PL', 'pl-PL'],
  ['PT', 'pt', 'pt-PT'],
  ['PT_PT', 'pt-PT', 'pt-PT'],
  ['PT_BR', 'pt-BR', 'pt-BR'],
  ['RO', 'ro', 'ro-RO'],
  ['RO_RO', 'ro-RO', 'ro-RO'],
  ['RU', 'ru', 'ru-RU'],
  ['RU_RU', 'ru-RU', 'ru-RU'],
  ['SR', 'sr', 'sr-RS'],
  ['SR_RS', 'sr-RS', 'sr-RS'],
  ['SK', 'sk', 'sk-SK'],
  ['SK_SK', 'sk-SK', 'sk-SK'],
  ['SO', 'so', 'so-SO'],
  ['SO_SO', 'so-SO', 'so-SO'],
  ['ES', 'es', 'es-ES'],
  ['ES_ES', 'es-ES', 'es-ES'],
  ['ES_US', 'es-US', 'es-US'],
  ['SV', 'sv', 'sv-SE'],
  ['SV_SE', 'sv-SE', 'sv-SE'],
  ['TL', 'tl', 'tl-PH'],
  ['FIL', 'fil', 'tl-PH'],
  ['FIL_PH', 'fil-PH', 'tl-PH'],
  ['TH', 'th', 'th-TH'],
  ['TH_TH', 'th-TH', 'th-TH'],
  ['UK', 'uk', 'uk-UA'],
  ['UK_UA', 'uk-UA', 'uk-UA'],
  ['VI', 'vi', 'vi-VN'],
  ['VI_VN', 'vi-VN', 'vi-VN'],
  ['ZU', 'zu', 'zu-ZA'],
  ['ZU_ZA', 'zu-ZA', 'zu-ZA'],
];

test("every member of Pipecat's AWS map is a Language member with Pipecat's value, mapped to the same code", () => {
  assert.is(PIPECAT_AWS_MAP.length, 96);
  const members = Language as Readonly<Record<string, string>>;
  for (const [member, value, code] of PIPECAT_AWS_MAP) {
    assert.is(members[member], value, `Language.${member}`);
    assert.is(languageToAws(value), code, `Language.${member} -> ${code}`);
    assert.is(resolveLanguage(value), code);
  }
  // The two issue 15 found missing.
  assert.is(languageToAws(Language.YUE), 'zh-HK');
  assert.is(languageToAws(Language.FIL_PH), 'tl-PH');
  assert.is(languageToAws('yue'), 'zh-HK');
});

test('unknown languages are option errors with the closest suggestion', () => {
  assert.is(languageToAws('xx-YY'), undefined);
  assert.is(suggestLanguage('en-UK'), 'en-GB');
  assert.is(suggestLanguage('de_de'), 'de-DE');
  assert.is(suggestLanguage('qqqqqqqq'), undefined);
  try {
    resolveLanguage('en-UK', 'settings.language');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, OptionError);
    assert.is((e as OptionError).option, 'settings.language');
    assert.match(
      (e as Error).message,
      /did you mean "en-GB"\? \(en: en-US, en-GB, en-AU, en-IN, en-IE, en-NZ, en-AB, en-ZA, en-WL\)/,
    );
  }
});

test('suggestions only when genuinely close: same language, a region only one code has, or one edit away', () => {
  const expected: [string, string | undefined][] = [
    // The same language with an unknown region: its dialect named (or prefixed) in the tag, else its default.
    ['en-XX', 'en-US'],
    ['fr-BE', 'fr-FR'],
    ['en-AUS', 'en-AU'],
    ['en-USA', 'en-US'],
    ['zh-Hant-TW', 'zh-TW'],
    ['zh-Hans-CN', 'zh-CN'],
    ['ms-MX', 'ms-MY'],
    ['pt-AO', 'pt-PT'],
    ['yue-HK', 'zh-HK'],
    ['yue-CN', 'zh-HK'],
    ['fil-XX', 'tl-PH'],
    ['nb-XX', 'no-NO'],
    // A bare region only one code has; several: no guess.
    ['jp', 'ja-JP'],
    ['gb', 'en-GB'],
    ['us', undefined],
    ['in', undefined],
    // One edit away (a swap counts one).
    ['eng', 'en-US'],
    ['enus', 'en-US'],
    ['yeu', 'zh-HK'],
    ['ckbiq', 'ckb-IQ'],
    ['ex-US', 'en-US'],
    // Nothing close: no suggestion (issue 15: xx-YY suggested ms-MY, yue suggested be-BY).
    ['xx-YY', undefined],
    ['qq-QQ', undefined],
    ['zz', undefined],
    ['english', undefined],
    ['klingon', undefined],
    ['x', undefined],
    ['', undefined],
  ];
  for (const [input, code] of expected) assert.is(suggestLanguage(input), code, input);
});

test('no suggestion changes a known language subtag, nor guesses for an unknown one beyond one edit', () => {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (const a of letters) {
    for (const b of letters) {
      const language = a + b;
      const input = `${language}-YY`; // no AWS code has the region YY
      const hint = suggestLanguage(input);
      const code = languageToAws(language);
      if (code !== undefined) assert.is(hint, code, `${input}: the language's own default`);
      else if (hint !== undefined)
        assert.ok(editDistance(input.toLowerCase(), hint.toLowerCase()) <= 1, `${input} -> ${hint}`);
    }
  }
});

test('an unknown language without a close one says where to look; a secret given as a language is not echoed', () => {
  assert.throws(
    () => resolveLanguage('xx-YY'),
    (e: Error) =>
      joinRegExp(
        /language: "xx-YY" is not an Amazon Transcribe streaming language; use a Language value or a /,
        /code from STREAMING_LANGUAGE_CODES /,
        /\(https:\/\/docs\.aws\.amazon\.com\/transcribe\/latest\/dg\/supported-languages\.html\)/,
      ).test(e.message),
  );
  const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
  assert.throws(
    () => resolveLanguage(secret),
    (e: Error) =>
      e instanceof OptionError &&
      !String(e).includes(secret.slice(0, 20)) &&
      /a string of 40 characters \(not shown\)/.test(e.message),
  );
  // Not a string at all (JavaScript callers): an OptionError, not a TypeError.
  assert.throws(
    () => resolveLanguage(42 as unknown as string),
    (e: Error) => e instanceof OptionError && /42 is not/.test(e.message),
  );
  assert.is(languageToAws(undefined as unknown as string), undefined);
});

test('editDistance: Levenshtein with adjacent swaps as one edit', () => {
  assert.is(editDistance('', ''), 0);
  assert.is(editDistance('abc', ''), 3);
  assert.is(editDistance('kitten', 'sitting'), 3);
  assert.is(editDistance('yeu', 'yue'), 1);
  assert.is(editDistance('ab', 'ba'), 1);
  assert.is(editDistance('abc', 'ca'), 3, 'optimal string alignment: a swapped pair is not edited again');
  assert.is(editDistance('--langauge', '--language'), 1);
});

test.run();
