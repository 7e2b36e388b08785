// TranscriptEvent bodies: valid ones in AWS's shape (core/transcript.ts; times at millisecond
// resolution as AWS sends them), named mutants (the shapes the hardening issue lists) and random
// mutants (any place removed, nulled, of the wrong type, reshaped, duplicated).
import type { JValue } from './json.ts';
import { get, JObject, JRaw, obj, set } from './json.ts';
import { deep, mutateSomewhere, nastyValue, randomJson, randomString } from './json-random.ts';
import type { Rng } from './rng.ts';

const WORDS = ['hello', 'world', 'the', 'cat', 'sat', 'on', 'a', 'mat', 'zürich', '東京', 'ok', 'naïve'];

const ms = (seconds: number): number => Math.round(seconds * 1000) / 1000;

export interface ValidResultOptions {
  text?: string;
  partial?: boolean;
  channel?: 'ch_0' | 'ch_1';
  start?: number;
}

export function randomText(r: Rng): string {
  return Array.from({ length: r.int(1, 5) }, () => r.pick(WORDS)).join(' ');
}

/** A result as AWS sends it: one or two alternatives, items with times inside the result's. */
export function validResult(r: Rng, o: ValidResultOptions = {}): JObject {
  const text = o.text ?? randomText(r);
  const start = o.start ?? ms(r.int(0, 60_000) / 1000);
  const words = text.split(/\s+/).filter(Boolean);
  const alternative = (t: string): JObject => {
    let at = start;
    const items: JValue[] = words.map((w, i) => {
      const s = ms(at);
      const e = ms(at + r.int(50, 600) / 1000);
      at = e;
      const item = obj({ StartTime: s, EndTime: e, Type: 'pronunciation', Content: w, VocabularyFilterMatch: false });
      if (r.chance(0.3)) set(item, 'Confidence', ms(r.next()));
      if (r.chance(0.3)) set(item, 'Stable', r.chance(0.5));
      if (r.chance(0.2)) set(item, 'Speaker', String(i % 2));
      return item;
    });
    const alt = obj({ Transcript: t, Items: items });
    if (r.chance(0.2))
      set(alt, 'Entities', [
        obj({
          StartTime: start,
          EndTime: ms(at),
          Category: 'PII',
          Type: 'NAME',
          Content: words[0] ?? '',
          Confidence: 0.9,
        }),
      ]);
    return alt;
  };
  const end = ms(start + words.length * 0.6 + 0.1);
  const result = obj({
    ResultId: `r-${r.int(0, 0xffffff).toString(16)}`,
    StartTime: start,
    EndTime: end,
    IsPartial: o.partial ?? r.chance(0.6),
    Alternatives: r.chance(0.8) ? [alternative(text)] : [alternative(text), alternative(`${text} too`)],
  });
  if (o.channel) set(result, 'ChannelId', o.channel);
  if (r.chance(0.1)) set(result, 'LanguageCode', 'en-US');
  if (r.chance(0.05)) set(result, 'LanguageIdentification', [obj({ LanguageCode: 'en-US', Score: 0.9 })]);
  return result;
}

export function eventOf(results: JValue): JObject {
  return obj({ Transcript: obj({ Results: results }) });
}

export function validEvent(r: Rng, n = r.int(0, 3)): JObject {
  return eventOf(Array.from({ length: n }, () => validResult(r)));
}

/** A result at `path` of the first result: mutate there (the event is built fresh each time). */
type Named = readonly [string, (r: Rng) => JValue];

/** The event with its first result's field `key` changed (`undefined` deletes it). */
function resultField(key: string, value: (r: Rng) => JValue | undefined): (r: Rng) => JValue {
  return (r) => {
    const res = validResult(r, { partial: r.chance(0.5) });
    set(res, key, value(r));
    return eventOf([res]);
  };
}

/** The event with a field of its first result's first alternative changed. */
function altField(key: string, value: (r: Rng) => JValue | undefined): (r: Rng) => JValue {
  return (r) => {
    const res = validResult(r, { partial: r.chance(0.5) });
    const alt = (get(res, 'Alternatives') as JValue[])[0] as JObject;
    set(alt, key, value(r));
    return eventOf([res]);
  };
}

/** The event with a field of the first item changed. */
function itemField(key: string, value: (r: Rng) => JValue | undefined): (r: Rng) => JValue {
  return (r) => {
    const res = validResult(r, { partial: r.chance(0.5) });
    const alt = (get(res, 'Alternatives') as JValue[])[0] as JObject;
    const item = (get(alt, 'Items') as JValue[])[0] as JObject;
    set(item, key, value(r));
    return eventOf([res]);
  };
}

const k =
  <T extends JValue | undefined>(v: T) =>
  (): T =>
    v;

/** The shapes the issue names, and their neighbours. */
export const NAMED_MUTANTS: readonly Named[] = [
  ['body null', k(null)],
  ['body an array', k([])],
  ['body a number', k(42)],
  ['body a string', k('TranscriptEvent')],
  ['body {}', () => obj({})],
  ['Transcript null', () => obj({ Transcript: null })],
  ['Transcript a string', () => obj({ Transcript: 'hi' })],
  ['Transcript an array', () => obj({ Transcript: [] })],
  ['Transcript {}', () => obj({ Transcript: obj({}) })],
  ['Results null', () => eventOf(null)],
  ['Results an object', (r) => eventOf(obj({ 0: validResult(r) }))],
  ['Results a string', () => eventOf('results')],
  ['Results a number', () => eventOf(1)],
  ['Results [{}]', () => eventOf([obj({})])],
  ['Results [null]', () => eventOf([null])],
  ['Results [1]', () => eventOf([1])],
  ['Results ["x"]', () => eventOf(['x'])],
  ['Results [[]]', () => eventOf([[]])],
  ['Results [valid, null]', (r) => eventOf([validResult(r, { partial: false }), null])],
  ['Alternatives missing', resultField('Alternatives', k(undefined))],
  ['Alternatives null', resultField('Alternatives', k(null))],
  ['Alternatives []', resultField('Alternatives', k([]))],
  ['Alternatives {}', resultField('Alternatives', () => obj({}))],
  ['Alternatives a string', resultField('Alternatives', k('alt'))],
  ['Alternatives [null]', resultField('Alternatives', k([null]))],
  ['Alternatives [{}]', resultField('Alternatives', () => [obj({})])],
  ['Transcript text a number', altField('Transcript', k(7))],
  ['Transcript text null', altField('Transcript', k(null))],
  ['Transcript text an object', altField('Transcript', () => obj({ text: 'hi' }))],
  ['Transcript text an array', altField('Transcript', k(['hi']))],
  ['Transcript text missing', altField('Transcript', k(undefined))],
  ['Transcript text 1 MB', altField('Transcript', k('word '.repeat(200_000)))],
  ['Transcript text odd unicode', altField('Transcript', (r) => `${randomString(r, 60)} x`)],
  ['Items missing', altField('Items', k(undefined))],
  ['Items null', altField('Items', k(null))],
  ['Items a number', altField('Items', k(3))],
  ['Items an object', altField('Items', () => obj({ StartTime: 0, EndTime: 1 }))],
  ['Items a string', altField('Items', k('items'))],
  ['Items [null]', altField('Items', k([null]))],
  ['Items [1]', altField('Items', k([1]))],
  ['Items [{}]', altField('Items', () => [obj({})])],
  ['Items deep', altField('Items', () => deep(10_000))],
  ['Entities null', altField('Entities', k(null))],
  ['Entities a number', altField('Entities', k(1))],
  ['Entities [null]', altField('Entities', k([null]))],
  ['Entities [{}]', altField('Entities', () => [obj({})])],
  ['item StartTime "1.5"', itemField('StartTime', k('1.5'))],
  ['item EndTime null', itemField('EndTime', k(null))],
  ['item StartTime missing', itemField('StartTime', k(undefined))],
  ['item StartTime Infinity', itemField('StartTime', () => new JRaw('1e999', 'Infinity (1e999)'))],
  ['item Content a number', itemField('Content', k(5))],
  ['StartTime "1.5"', resultField('StartTime', k('1.5'))],
  ['EndTime "2"', resultField('EndTime', k('2'))],
  ['StartTime null', resultField('StartTime', k(null))],
  ['StartTime missing', resultField('StartTime', k(undefined))],
  ['StartTime Infinity', resultField('StartTime', () => new JRaw('1e999', 'Infinity (1e999)'))],
  ['EndTime -Infinity', resultField('EndTime', () => new JRaw('-1e999', '-Infinity (-1e999)'))],
  ['StartTime {}', resultField('StartTime', () => obj({}))],
  ['StartTime 1e308', resultField('StartTime', k(1e308))],
  ['IsPartial "false"', resultField('IsPartial', k('false'))],
  ['IsPartial "true"', resultField('IsPartial', k('true'))],
  ['IsPartial 0', resultField('IsPartial', k(0))],
  ['IsPartial null', resultField('IsPartial', k(null))],
  ['IsPartial missing', resultField('IsPartial', k(undefined))],
  ['ChannelId unique', resultField('ChannelId', (r) => `ch_${r.int(2, 1e9)}`)],
  ['ChannelId a number', resultField('ChannelId', k(0))],
  ['ChannelId an object', resultField('ChannelId', () => obj({}))],
  ['ChannelId null', resultField('ChannelId', k(null))],
  ['ChannelId huge', resultField('ChannelId', k('c'.repeat(100_000)))],
  ['ChannelId "__proto__"', resultField('ChannelId', k('__proto__'))],
  ['LanguageCode a number', resultField('LanguageCode', k(12))],
  ['LanguageCode an object', resultField('LanguageCode', () => obj({}))],
  ['ResultId a number', resultField('ResultId', k(1))],
  ['ResultId missing', resultField('ResultId', k(undefined))],
  ['LanguageIdentification garbage', resultField('LanguageIdentification', (r) => nastyValue(r))],
  [
    'result "__proto__" field',
    resultField('__proto__', () => obj({ Alternatives: [obj({ Transcript: 'proto', Items: [] })] })),
  ],
  ['result "then" field', resultField('then', k('function'))],
  [
    'duplicate IsPartial',
    (r) => {
      const res = validResult(r, { partial: false });
      res.entries.push(['IsPartial', 'maybe']);
      return eventOf([res]);
    },
  ],
  ['extra field deep', resultField('Extra', () => deep(100_000, 'object'))],
  ['many results', (r) => eventOf(Array.from({ length: 300 }, () => validResult(r, { text: 'x', partial: true })))],
];

export interface Mutant {
  body: JValue;
  note: string;
}

/** A wrong-shaped (or sometimes still valid) TranscriptEvent body. */
export function mutantEvent(r: Rng): Mutant {
  const pick = r.next();
  if (pick < 0.4) {
    const [name, make] = r.pick(NAMED_MUTANTS);
    return { body: make(r), note: name };
  }
  if (pick < 0.9) {
    const body = validEvent(r, r.int(1, 3));
    const notes: string[] = [];
    for (let i = r.int(1, 3); i > 0; i--) notes.push(mutateSomewhere(r, body));
    return { body, note: `random mutation: ${notes.join('; ')}` };
  }
  return {
    body: r.chance(0.5) ? randomJson(r, 4) : new JObject([['Transcript', randomJson(r, 3)]]),
    note: 'random JSON',
  };
}
