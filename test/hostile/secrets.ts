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

if (!/[+/]/.test(KEYS.sessionToken) || !KEYS.sessionToken.endsWith('=')) throw new Error('the fake token must need URL-encoding');

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

/** Every WINDOW-character run of every secret, to the secret's kind (built once per secret list). */
const windowsOf = new WeakMap<readonly Secret[], Map<string, string>>();

function windows(secrets: readonly Secret[]): Map<string, string> {
  let m = windowsOf.get(secrets);
  if (m) return m;
  m = new Map();
  for (const s of secrets) {
    const v = s.value;
    if (v.length < WINDOW) {
      if (v.length >= 8 && !m.has(v)) m.set(v, s.kind);
      continue;
    }
    for (let i = 0; i + WINDOW <= v.length; i++) if (!m.has(v.slice(i, i + WINDOW))) m.set(v.slice(i, i + WINDOW), s.kind);
  }
  windowsOf.set(secrets, m);
  return m;
}

/** Every place in `text` where a run of at least WINDOW characters of a secret appears (one pass, any text size). */
export function findLeaks(text: string, secrets: readonly Secret[]): Leak[] {
  const out: Leak[] = [];
  const m = windows(secrets);
  for (let i = 0; i + WINDOW <= text.length; i++) {
    const kind = m.get(text.slice(i, i + WINDOW));
    if (kind === undefined) continue;
    const last = out[out.length - 1];
    if (last && last.kind === kind && last.end >= i) last.end = i + WINDOW;
    else out.push({ kind, start: i, end: i + WINDOW });
  }
  // Secrets shorter than a window are looked up whole.
  for (const s of secrets) {
    if (s.value.length >= WINDOW || s.value.length < 8) continue;
    for (let at = text.indexOf(s.value); at >= 0; at = text.indexOf(s.value, at + 1)) out.push({ kind: s.kind, start: at, end: at + s.value.length });
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
