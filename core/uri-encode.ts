/**
 * RFC 3986 percent-encoding as SigV4 wants it: every UTF-8 byte except the unreserved set
 * `A-Z a-z 0-9 - _ . ~` becomes `%XY` with upper-case hex (space is `%20`, never `+`).
 * `encodeURIComponent` is not enough: it leaves `! ' ( ) *` alone and throws on lone surrogates.
 * Lone surrogates encode as U+FFFD (`%EF%BF%BD`), as `utf8Encode`/TextEncoder do.
 */

/** Byte -> its canonical form: the character itself when unreserved, else `%XY`. */
const ENC: string[] = [];
const UNRESERVED = new Uint8Array(128);
for (let b = 0; b < 256; b++) {
  const unreserved =
    (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x5f || b === 0x2e || b === 0x7e;
  if (unreserved) UNRESERVED[b] = 1;
  ENC.push(unreserved ? String.fromCharCode(b) : '%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase());
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Append the UTF-8 bytes of the code point starting at `s[i]`, encoded; returns the next index. */
function encodeCodePoint(s: string, i: number, out: string[]): number {
  let c = s.charCodeAt(i);
  if (c < 0x80) {
    out.push(ENC[c]!);
    return i + 1;
  }
  if (c < 0x800) {
    out.push(ENC[0xc0 | (c >> 6)]!, ENC[0x80 | (c & 63)]!);
    return i + 1;
  }
  if (c >= 0xd800 && c <= 0xdfff) {
    const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
    if (c <= 0xdbff && (next & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
      out.push(ENC[0xf0 | (c >> 18)]!, ENC[0x80 | ((c >> 12) & 63)]!, ENC[0x80 | ((c >> 6) & 63)]!, ENC[0x80 | (c & 63)]!);
      return i + 2;
    }
    c = 0xfffd;
  }
  out.push(ENC[0xe0 | (c >> 12)]!, ENC[0x80 | ((c >> 6) & 63)]!, ENC[0x80 | (c & 63)]!);
  return i + 1;
}

/** Index of the first character of `s` (from `from`) that is not unreserved (or `/` when kept); -1 if none. */
function firstToEncode(s: string, from: number, keepSlash: boolean): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || (UNRESERVED[c] === 0 && !(keepSlash && c === 0x2f))) return i;
  }
  return -1;
}

// encodeURIComponent (ECMA-262, so present in every engine) leaves these five alone; RFC 3986 does not.
const SUB_DELIM = /[!'()*]/;
const SUB_DELIMS = /[!'()*]/g;
const hexOf = (c: string): string => ENC[c.charCodeAt(0)]!;

/** RFC 3986 encoding of `s` (as UTF-8). `keepSlash` leaves `/` alone, for paths. */
export function uriEncode(s: string, keepSlash = false): string {
  const i = firstToEncode(s, 0, keepSlash);
  if (i < 0) return s; // the common case: nothing to do, no allocation
  // The native encoder is several times faster on long values (session tokens), then five fixes.
  let e: string;
  try {
    e = encodeURIComponent(s);
  } catch {
    return encodeSlowly(s, i, keepSlash); // a lone surrogate: encoded as U+FFFD, as TextEncoder does
  }
  if (SUB_DELIM.test(e)) e = e.replace(SUB_DELIMS, hexOf);
  if (keepSlash && e.indexOf('%2F') >= 0) e = e.replace(/%2F/g, '/');
  return e;
}

/** `uriEncode` without the native encoder, from index `i` on (the prefix needs no encoding). */
function encodeSlowly(s: string, i: number, keepSlash: boolean): string {
  const out: string[] = [s.slice(0, i)];
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c < 128 && (UNRESERVED[c] === 1 || (keepSlash && c === 0x2f))) {
      const j = firstToEncode(s, i, keepSlash);
      const end = j < 0 ? s.length : j;
      out.push(s.slice(i, end));
      i = end;
    } else {
      i = encodeCodePoint(s, i, out);
    }
  }
  return out.join('');
}

/**
 * Canonical form of a component taken from a URL as written: `%XY` escapes are decoded to their
 * byte and every byte re-encoded, so `%7e` becomes `~`, `%2f` becomes `%2F`, a raw `é` becomes
 * `%C3%A9`, and a `%` that starts no escape becomes `%25`. `+` is a literal plus (`%2B`): SigV4
 * canonicalises RFC 3986 components, not HTML form encoding.
 */
export function canonicalComponent(raw: string): string {
  let i = firstToEncode(raw, 0, false);
  if (i < 0) return raw;
  const out: string[] = [raw.slice(0, i)];
  while (i < raw.length) {
    const c = raw.charCodeAt(i);
    if (c === 0x25 && i + 2 < raw.length) {
      const hi = hexValue(raw.charCodeAt(i + 1));
      const lo = hexValue(raw.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        out.push(ENC[(hi << 4) | lo]!);
        i += 3;
        continue;
      }
    }
    if (c < 128 && UNRESERVED[c] === 1) {
      const j = firstToEncode(raw, i, false);
      const end = j < 0 ? raw.length : j;
      out.push(raw.slice(i, end));
      i = end;
    } else {
      i = encodeCodePoint(raw, i, out);
    }
  }
  return out.join('');
}
