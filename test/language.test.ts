import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Language, languageToAws, OptionError, resolveLanguage, STREAMING_LANGUAGE_CODES, suggestLanguage } from '../dist/core/index.js';

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
  const expect: Record<string, string> = { EN: 'en-US', ES: 'es-ES', PT: 'pt-PT', ZH: 'zh-CN', NB: 'no-NO', NO: 'no-NO', FR: 'fr-FR', DE: 'de-DE', AR: 'ar-SA', TL: 'tl-PH' };
  for (const [key, code] of Object.entries(expect)) assert.is(languageToAws(Language[key as keyof typeof Language]), code, key);
  assert.is(languageToAws(Language.NB_NO), 'no-NO');
});

test('every Language value resolves to a streaming code', () => {
  const codes = new Set<string>(STREAMING_LANGUAGE_CODES);
  for (const [key, value] of Object.entries(Language)) assert.ok(codes.has(languageToAws(value) ?? ''), `${key} = ${value}`);
});

test('Language: one member per code and per bare language, plus FIL, NB, NB_NO; keys in order', () => {
  const keys = Object.keys(Language);
  const bare = new Set(STREAMING_LANGUAGE_CODES.map((c) => c.slice(0, c.indexOf('-'))));
  assert.is(keys.length, STREAMING_LANGUAGE_CODES.length + bare.size + 3);
  assert.equal(keys, [...keys].sort(), 'members sorted by key, as the written-out enum had them');
  for (const [key, value] of Object.entries(Language)) assert.is(key, value.toUpperCase().replace('-', '_'));
  assert.is(Language.FIL, 'fil');
  assert.is(Language.NB_NO, 'nb-NO');
  assert.is(Language.CKB_IQ, 'ckb-IQ');
  // Every language with several dialects, and the one a bare name picks.
  const defaults: Record<string, string> = {
    ar: 'ar-SA', ckb: 'ckb-IQ', de: 'de-DE', en: 'en-US', es: 'es-ES', fa: 'fa-IR', fr: 'fr-FR', pt: 'pt-PT', sw: 'sw-KE', zh: 'zh-CN', fil: 'tl-PH',
  };
  for (const [value, code] of Object.entries(defaults)) assert.is(languageToAws(value), code, value);
  for (const b of bare) {
    const dialects = STREAMING_LANGUAGE_CODES.filter((c) => c.startsWith(b + '-'));
    if (dialects.length === 1) assert.is(languageToAws(b), dialects[0], b);
    else assert.ok(b in defaults, `${b} has ${dialects.length} dialects: its default is pinned above`);
  }
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
    assert.match((e as Error).message, /did you mean "en-GB"/);
  }
});

test.run();
