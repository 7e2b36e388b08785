// Random JSON for the fuzzers: values of every type, values that break careless code (wrong-typed
// times, huge and odd strings, deep nesting), and random changes at any place of a document.
import type { JValue } from './json.ts';
import { clone, JObject, JRaw, places, removeAt, replaceAt, show, valueAt } from './json.ts';
import type { Rng } from './rng.ts';

/** Nesting deeper than any recursive walker survives (V8's own JSON.parse copes). */
export function deep(depth: number, kind: 'array' | 'object' = 'array'): JRaw {
  const open = kind === 'array' ? '[' : '{"a":';
  const close = kind === 'array' ? ']' : '}';
  const inner = kind === 'array' ? '' : '1';
  return new JRaw(
    open.repeat(depth) + inner + close.repeat(depth),
    `${kind} nested ${depth} deep`,
    depth > 1 ? () => deep(depth >> 1, kind) : undefined,
  );
}

const UNICODE = [
  '\u0000',
  '\u001b[31mred\u001b[0m',
  '\r\n',
  '\ud800',
  '\udfff',
  '\ud83d\ude00',
  '\u202eevil',
  '\ufeff',
  'e\u0301',
  '\u0441h_0', // Cyrillic es: looks like ch_0
  '\u2028',
  'ｃｈ＿０',
  '\uffff',
  '\u0085',
];

export function randomString(r: Rng, maxLength = 40): string {
  const kind = r.int(0, 5);
  if (kind === 0) return '';
  if (kind === 1)
    return r.pick([
      'ch_0',
      'ch_1',
      'ch_2',
      'en-US',
      'true',
      'false',
      '1.5',
      '0',
      'NaN',
      'Infinity',
      'null',
      '__proto__',
      'pronunciation',
    ]);
  let s = '';
  const n = r.size(maxLength);
  for (let i = 0; i < n; i++) {
    const k = r.next();
    s +=
      k < 0.6
        ? String.fromCharCode(r.int(0x20, 0x7e))
        : k < 0.8
          ? r.pick(UNICODE)
          : String.fromCharCode(r.int(0, 0xffff));
  }
  return s;
}

const NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  1.5,
  1e-7,
  1e21,
  1e308,
  -1e308,
  2 ** 53 + 2,
  4294967296,
  Infinity,
  -Infinity,
  0.1 + 0.2,
];

export function randomNumber(r: Rng): number {
  const k = r.int(0, 3);
  if (k === 0) return r.pick(NUMBERS);
  if (k === 1) return r.int(-5, 5000);
  if (k === 2) return Math.round(r.next() * 100_000) / 1000;
  return (r.next() - 0.5) * 10 ** r.int(-10, 30);
}

/** Any JSON value, `depth` levels at most. */
export function randomJson(r: Rng, depth = 3): JValue {
  const k = r.int(0, depth > 0 ? 7 : 4);
  switch (k) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return randomNumber(r);
    case 3:
    case 4:
      return randomString(r);
    case 5:
      return Array.from({ length: r.int(0, 3) }, () => randomJson(r, depth - 1));
    case 6:
      return new JObject(
        Array.from({ length: r.int(0, 3) }, () => [randomKey(r), randomJson(r, depth - 1)] as [string, JValue]),
      );
    default:
      return r.chance(0.5) ? deep(r.pick([2, 50, 5000])) : new JObject([]);
  }
}

/** Keys the TranscriptEvent model uses, names that mean something to JavaScript, and noise. */
const KEYS = [
  'Transcript',
  'Results',
  'Alternatives',
  'Items',
  'Entities',
  'StartTime',
  'EndTime',
  'IsPartial',
  'ResultId',
  'ChannelId',
  'LanguageCode',
  'Content',
  'Type',
  'Message',
  'message',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'then',
  'length',
  'hasOwnProperty',
  '0',
  '',
];

export function randomKey(r: Rng): string {
  return r.chance(0.7) ? r.pick(KEYS) : randomString(r, 12);
}

/** Values that break careless code: wrong-typed times, huge and odd strings, deep nesting. */
export function nastyValue(r: Rng): JValue {
  const k = r.int(0, 17);
  switch (k) {
    case 0:
      return r.pick(['1.5', '2', '', ' ', 'NaN', '1e999', '0x10', '-0']);
    case 1:
      return r.pick([Infinity, -Infinity]);
    case 2:
      return r.pick([-0, -1, 1e308, -1e308, 2 ** 53 + 2, 1e-300, 4294967296.5]);
    case 3:
      return r.chance(0.5);
    case 4:
      return [];
    case 5:
      return new JObject([]);
    case 6:
      return [null];
    case 7:
      return [new JObject([])];
    case 8:
      return 'x'.repeat(r.chance(0.02) ? 1_000_000 : r.pick([1000, 100_000]));
    case 9:
      return r.pick(UNICODE).repeat(r.int(1, 2000));
    case 10:
      return deep(r.chance(0.1) ? 100_000 : r.pick([100, 10_000]), r.chance(0.5) ? 'array' : 'object');
    case 11:
      return new JObject([['__proto__', new JObject([['Transcript', 'polluted']])]]);
    case 12:
      return new JObject([[randomKey(r), randomJson(r, 2)]]);
    case 13:
      return [randomJson(r, 1), randomJson(r, 1)];
    case 14:
      return new JRaw('1e999', 'Infinity (1e999)');
    case 15:
      return null;
    case 16:
      return randomString(r, 2000);
    default:
      return randomJson(r, 2);
  }
}

function typeOf(v: JValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof JObject) return 'object';
  if (v instanceof JRaw) return 'raw';
  return typeof v;
}

/** A value of another JSON type than `v`. */
export function wrongType(r: Rng, v: JValue): JValue {
  for (let tries = 0; tries < 20; tries++) {
    const w = r.chance(0.5) ? nastyValue(r) : randomJson(r, 2);
    if (typeOf(w) !== typeOf(v)) return w;
  }
  return typeOf(v) === 'string' ? 1 : '1';
}

export function mutateSomewhere(r: Rng, root: JValue): string {
  const all = places(root);
  if (all.length === 0) return 'nothing to mutate';
  const p = r.pick(all);
  const old = valueAt(p);
  const op = r.int(0, 7);
  switch (op) {
    case 0:
      removeAt(p);
      return `${p.path} removed`;
    case 1:
      replaceAt(p, null);
      return `${p.path} = null`;
    case 2: {
      const w = wrongType(r, old);
      replaceAt(p, w);
      return `${p.path} = ${show(w, 80)}`;
    }
    case 3: {
      const w = nastyValue(r);
      replaceAt(p, w);
      return `${p.path} = ${show(w, 80)}`;
    }
    case 4: {
      // An unknown extra field next to the value, or inside it.
      const target = old instanceof JObject ? old : p.parent instanceof JObject ? p.parent : undefined;
      if (!target) break;
      const k = randomKey(r);
      target.entries.push([k, nastyValue(r)]);
      return `extra field ${JSON.stringify(k)} near ${p.path}`;
    }
    case 5:
      // Object for array, array for object, or a value wrapped.
      replaceAt(
        p,
        Array.isArray(old)
          ? new JObject(old.map((x, i) => [String(i), x]))
          : old instanceof JObject
            ? old.entries.map((e) => e[1])
            : [old],
      );
      return `${p.path} reshaped`;
    case 6:
      // A duplicate key: JSON.parse keeps the last.
      if (p.parent instanceof JObject) {
        const k = p.parent.entries[p.index]![0];
        p.parent.entries.push([k, wrongType(r, old)]);
        return `${p.path} duplicated with another type`;
      }
      break;
    default:
      if (Array.isArray(p.parent)) {
        p.parent.push(r.chance(0.5) ? clone(old) : randomJson(r, 2));
        return `${p.path} repeated`;
      }
  }
  replaceAt(p, wrongType(r, old));
  return `${p.path} replaced`;
}

/** How much of a document a value is: its places, and long strings by their length. */
