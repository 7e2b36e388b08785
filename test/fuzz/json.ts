// JSON documents as the fuzzers build them: plain values, objects as entry lists (so a document
// can hold duplicate keys and a "__proto__" key, as JSON text can), and raw text (nesting too deep
// to build as a tree, tokens JSON.stringify would never write such as 1e999). Serialised by hand,
// shown abbreviated, and shrunk by deleting parts (random values and mutation: json-random.ts).

export class JObject {
  readonly entries: [string, JValue][];

  constructor(entries: [string, JValue][]) {
    this.entries = entries;
  }
}

export class JRaw {
  /** The JSON text, written as is. */
  readonly text: string;
  /** How to show it (the text may be megabytes). */
  readonly label: string;
  /** A smaller raw of the same kind, for shrinking. */
  readonly smaller: (() => JRaw) | undefined;

  constructor(text: string, label: string, smaller?: () => JRaw) {
    this.text = text;
    this.label = label;
    this.smaller = smaller;
  }
}

export type JValue = null | boolean | number | string | JValue[] | JObject | JRaw;

export function obj(record: Record<string, JValue>): JObject {
  return new JObject(Object.entries(record));
}

export function get(o: JValue, key: string): JValue | undefined {
  if (!(o instanceof JObject)) return undefined;
  for (let i = o.entries.length - 1; i >= 0; i--) if (o.entries[i]![0] === key) return o.entries[i]![1];
  return undefined;
}

/** Set (replacing every entry of that key) or, with `undefined`, delete. */
export function set(o: JObject, key: string, v: JValue | undefined): void {
  const at = o.entries.findIndex((e) => e[0] === key);
  const rest = o.entries.filter((e) => e[0] !== key);
  if (v !== undefined) rest.splice(at < 0 ? rest.length : at, 0, [key, v]);
  o.entries.splice(0, o.entries.length, ...rest);
}

function numberText(n: number): string {
  // 1e999 parses to Infinity: the one way a JSON body reaches the service with a non-finite number.
  if (n === Infinity) return '1e999';
  if (n === -Infinity) return '-1e999';
  if (Number.isNaN(n)) return 'NaN'; // not JSON: makes the whole body unparseable
  if (Object.is(n, -0)) return '-0';
  return String(n);
}

/** The JSON text (recursive: deep nesting is only ever a JRaw). */
export function toJsonText(v: JValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof JRaw) return v.text;
  if (Array.isArray(v)) return `[${v.map(toJsonText).join(',')}]`;
  return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${toJsonText(x)}`).join(',')}}`;
}

/** Like toJsonText, with long strings and raws abbreviated, for reports. */
export function show(v: JValue, max = 600): string {
  const text = showInner(v);
  return text.length > max ? `${text.slice(0, max)}…(${text.length} chars shown abbreviated)` : text;
}

function showInner(v: JValue): string {
  if (typeof v === 'string') {
    const q = JSON.stringify(v.length > 48 ? v.slice(0, 24) : v);
    return v.length > 48 ? `${q.slice(0, -1)}…"(${v.length} chars)` : q;
  }
  if (v instanceof JRaw) return `<${v.label}>`;
  if (Array.isArray(v)) return `[${v.map(showInner).join(',')}]`;
  if (v instanceof JObject) return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${showInner(x)}`).join(',')}}`;
  return toJsonText(v);
}

export function clone(v: JValue): JValue {
  if (Array.isArray(v)) return v.map(clone);
  if (v instanceof JObject) return new JObject(v.entries.map(([k, x]) => [k, clone(x)]));
  return v;
}

// ---- places, mutation and shrinking ----------------------------------------------------------------

export interface Place {
  /** The array or object holding the value. */
  parent: JValue[] | JObject;
  /** Array index or entry index. */
  index: number;
  path: string;
}

/** Every place in the document that holds a value (the root itself excluded). */
export function places(root: JValue, path = '', out: Place[] = []): Place[] {
  if (Array.isArray(root)) {
    root.forEach((x, i) => {
      out.push({ parent: root, index: i, path: `${path}[${i}]` });
      places(x, `${path}[${i}]`, out);
    });
  } else if (root instanceof JObject) {
    root.entries.forEach(([k, x], i) => {
      const p = /^[A-Za-z_]\w*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;
      out.push({ parent: root, index: i, path: p });
      places(x, p, out);
    });
  }
  return out;
}

export function valueAt(p: Place): JValue {
  return Array.isArray(p.parent) ? p.parent[p.index]! : p.parent.entries[p.index]![1];
}

export function replaceAt(p: Place, v: JValue): void {
  if (Array.isArray(p.parent)) p.parent[p.index] = v;
  else p.parent.entries[p.index]![1] = v;
}

export function removeAt(p: Place): void {
  if (Array.isArray(p.parent)) p.parent.splice(p.index, 1);
  else p.parent.entries.splice(p.index, 1);
}

/** One random change somewhere in `root` (in place); returns what was done, for the report. */
function weight(v: JValue): number {
  if (typeof v === 'string') return 1 + (v.length >> 6);
  if (v instanceof JRaw) return 1 + (v.text.length >> 6);
  if (Array.isArray(v)) return v.reduce<number>((n, x) => n + weight(x), 1);
  if (v instanceof JObject) return v.entries.reduce((n, [, x]) => n + weight(x), 1);
  return 1;
}

/**
 * Smaller variants of `root` (new trees), biggest cuts first so a small budget goes far: each
 * deletes one part, empties a container, shortens a string or makes a raw smaller.
 */
export function* shrinkings(root: JValue): Generator<JValue> {
  const order = places(root)
    .map((p, i) => ({ i, w: weight(valueAt(p)) }))
    .sort((a, b) => b.w - a.w || a.i - b.i);
  const variant = (i: number, change: (p: Place) => void): JValue => {
    const copy = clone(root);
    change(places(copy)[i]!);
    return copy;
  };
  for (const { i } of order) {
    const v = valueAt(places(root)[i]!);
    yield variant(i, removeAt);
    if ((Array.isArray(v) && v.length > 0) || (v instanceof JObject && v.entries.length > 0)) {
      yield variant(i, (p) => replaceAt(p, Array.isArray(v) ? [] : new JObject([])));
    }
    if (typeof v === 'string' && v.length > 8)
      yield variant(i, (p) => replaceAt(p, v.slice(0, Math.max(8, v.length >> 4))));
    if (v instanceof JRaw && v.smaller) {
      const smaller = v.smaller;
      yield variant(i, (p) => replaceAt(p, smaller()));
    }
  }
}

/**
 * Greedy shrink: keep taking the first smaller variant that still `fails`, until none does or the
 * budget of tries is spent.
 */
export async function shrinkJson(
  root: JValue,
  fails: (v: JValue) => boolean | Promise<boolean>,
  budget: number,
): Promise<JValue> {
  let best = root;
  let tries = 0;
  for (let progress = true; progress && tries < budget; ) {
    progress = false;
    for (const candidate of shrinkings(best)) {
      if (++tries > budget) break;
      if (await fails(candidate)) {
        best = candidate;
        progress = true;
        break;
      }
    }
  }
  return best;
}
