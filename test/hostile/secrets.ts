// The fake but realistic credentials every hostile scenario signs with, and how a leak of them is
// found: any 20-character run of a secret, raw, URL-encoded or URL-encoded twice, anywhere in a
// text. A run, not the whole value, because a leak is often a cut one (a body truncated inside a
// signature, a close reason capped at 123 bytes).

/** A session token shaped like STS's: base64 with `+`, `/` and `=`, so every encoding differs. */
function fakeSessionToken(): string {
  let x = 0x2545f491;
  const bytes = new Uint8Array(602);
  for (let i = 0; i < bytes.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return `IQoJb3JpZ2luX2VjEHoaCXVzLWVhc3QtMSJHMEUCIQ${Buffer.from(bytes).toString('base64')}`;
}

export const KEYS = {
  accessKeyId: 'ASIAZ3HOSTILE7EXAMPL',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYHOSTILEKEY',
  sessionToken: fakeSessionToken(),
} as const;

if (!/[+/]/.test(KEYS.sessionToken) || !KEYS.sessionToken.endsWith('='))
  throw new Error('the fake token must need URL-encoding');

export interface Secret {
  /** What it is, e.g. `sessionToken (url-encoded)`: printed instead of the value. */
  kind: string;
  value: string;
}

const WINDOW = 20;

/** A secret in the forms it can leak in: raw, URL-encoded, and URL-encoded twice (a URL inside a URL). */
export function secretForms(kind: string, value: string): Secret[] {
  const once = encodeURIComponent(value);
  const twice = encodeURIComponent(once);
  const out: Secret[] = [{ kind, value }];
  if (once !== value) out.push({ kind: `${kind} (url-encoded)`, value: once });
  if (twice !== once) out.push({ kind: `${kind} (url-encoded twice)`, value: twice });
  return out;
}

/** The secret key and the session token in all their forms. */
export function keySecrets(): Secret[] {
  return [...secretForms('secretAccessKey', KEYS.secretAccessKey), ...secretForms('sessionToken', KEYS.sessionToken)];
}

export interface Leak {
  kind: string;
  start: number;
  end: number;
}

// Secrets are found with a rolling hash over WINDOW characters (Rabin-Karp): one pass over the
// text whatever its size (a 5 MB server message is scanned several times per scenario).
const BASE = 0x01000193;
/** BASE^(WINDOW-1) mod 2^32: the weight of the character that leaves the window. */
const TOP = (() => {
  let p = 1;
  for (let i = 1; i < WINDOW; i++) p = Math.imul(p, BASE);
  return p;
})();

function hashOf(s: string, from: number): number {
  let h = 0;
  for (let i = from; i < from + WINDOW; i++) h = (Math.imul(h, BASE) + s.charCodeAt(i)) | 0;
  return h;
}

/** Every WINDOW-character run of every secret, by hash (built once per secret list). */
const windowsOf = new WeakMap<readonly Secret[], Map<number, { run: string; kind: string }[]>>();

function windows(secrets: readonly Secret[]): Map<number, { run: string; kind: string }[]> {
  let m = windowsOf.get(secrets);
  if (m) return m;
  m = new Map();
  for (const s of secrets) {
    for (let i = 0; i + WINDOW <= s.value.length; i++) {
      const h = hashOf(s.value, i);
      const list = m.get(h) ?? [];
      list.push({ run: s.value.slice(i, i + WINDOW), kind: s.kind });
      m.set(h, list);
    }
  }
  windowsOf.set(secrets, m);
  return m;
}

/** Every place in `text` where a run of at least WINDOW characters of a secret appears. */
export function findLeaks(text: string, secrets: readonly Secret[]): Leak[] {
  const out: Leak[] = [];
  const m = windows(secrets);
  if (text.length >= WINDOW) {
    let h = hashOf(text, 0);
    for (let i = 0; ; i++) {
      const hits = m.get(h);
      if (hits) {
        const run = text.slice(i, i + WINDOW);
        const hit = hits.find((x) => x.run === run);
        if (hit) {
          const last = out[out.length - 1];
          if (last && last.kind === hit.kind && last.end >= i) last.end = i + WINDOW;
          else out.push({ kind: hit.kind, start: i, end: i + WINDOW });
        }
      }
      if (i + WINDOW >= text.length) break;
      h = (Math.imul(h - Math.imul(text.charCodeAt(i), TOP), BASE) + text.charCodeAt(i + WINDOW)) | 0;
    }
  }
  // Secrets shorter than a window are looked up whole.
  for (const s of secrets) {
    if (s.value.length >= WINDOW || s.value.length < 8) continue;
    for (let at = text.indexOf(s.value); at >= 0; at = text.indexOf(s.value, at + 1))
      out.push({ kind: s.kind, start: at, end: at + s.value.length });
  }
  return out;
}

/** Kinds of secret found in `text` (empty: clean). */
export function leakKinds(text: string, secrets: readonly Secret[]): string[] {
  return [...new Set(findLeaks(text, secrets).map((l) => l.kind))];
}

/** `text` with every secret run replaced by `[SECRET:kind]`, safe to print. */
export function scrub(text: string, secrets: readonly Secret[]): string {
  const leaks = findLeaks(text, secrets).sort((a, b) => a.start - b.start);
  if (!leaks.length) return text;
  let out = '';
  let at = 0;
  for (let i = 0; i < leaks.length; ) {
    const first = leaks[i]!;
    let end = first.end;
    for (i++; i < leaks.length && leaks[i]!.start <= end; i++) end = Math.max(end, leaks[i]!.end);
    out += `${text.slice(at, first.start)}[SECRET:${first.kind}]`;
    at = end;
  }
  return out + text.slice(at);
}
