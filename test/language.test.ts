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
