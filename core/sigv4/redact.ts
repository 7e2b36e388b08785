/**
 * Text that is safe to show: secrets taken out, terminal control sequences stripped, one line,
 * capped. For everything that reaches an error, a log line or a terminal from outside the library
 * (the server's exception messages, close reasons, handshake bodies, a proxy's error page echoing
 * the request) and for URLs and option values the library itself writes into messages.
 *
 * Two ways to find a secret, used together:
 * - by name: the value after a name that carries one (`X-Amz-Signature`, `X-Amz-Security-Token`,
 *   the key id of `X-Amz-Credential`, `Signature=` in an Authorization header, `sessionToken`,
 *   `secretAccessKey`, …) in query, header and JSON form, the names and separators percent-encoded
 *   once or twice; also user info in URLs and bare 64-hex-digit signatures;
 * - by value: the exact secrets the caller used (secret key, session token, signatures) and their
 *   URL encodings, wherever they appear, even with no name in front.
 * By value, every run of PIECE (20) or more characters of a secret (or of an encoding of it) is
 * taken out, not only the whole secret: a secret cut by a proxy's truncation, split by a line break
 * or by markup loses every piece long enough to matter; pieces under 20 characters may remain.
 *
 * Off the audio path: clarity first, but every step is linear in the text, and `safeText` bounds
 * the text it works on first (a 5 MB message costs what about 8 KB does).
 */

import type { Credentials } from './credentials.js';
import { uriEncode } from '../encoding/uri-encode.js';

/** What a secret is replaced with (URL-safe, so a redacted URL keeps its shape). */
export const REDACTED = 'REDACTED';
/** Default cap of `safeText` and `sanitizeText`, in UTF-16 code units, marker included. */
export const DEFAULT_TEXT_LIMIT = 500;

/** Secrets shorter than this are ignored by value: they would blank ordinary words. */
const MIN_SECRET = 8;
/** The length of the secret pieces found by value (see the header). */
const PIECE = 20;

// --- by name -------------------------------------------------------------------------------------
// The patterns are built per call (cheap next to the text they scan, each call gets its own
// lastIndex, and a bundle that only needs describeValue keeps none of them).

/** `-` as written or percent-encoded once or twice (`X%2DAmz%2DSignature`). */
const DASH = '(?:-|%2d|%252d)';
/** An optional separator inside a field name (`session_token`, `session-token`, `SessionToken`). */
const JOIN = '(?:[-_]|%2d|%252d)?';
/** `X-Amz-`, dashes in any of those forms (written out: a template here would stay in every bundle). */
const X_AMZ = 'x(?:-|%2d|%252d)amz(?:-|%2d|%252d)';

/** The X-Amz-* secrets of a presigned URL, then `=` at one of three encoding levels (group 2). */
const urlNames = (): RegExp => new RegExp(`${X_AMZ}(?:(credential)|signature|security${DASH}token)(=|%3d|%253d)`, 'gi');

/**
 * Names that carry a secret in free text, then `=` or `:` (group 2), with the quotes, spaces and
 * bracket of query, header, JSON (also JSON inside a string: `\"`) and Python-repr forms around.
 * Group 1 is set for a credential, whose value is only the access key id.
 */
const textNames = (): RegExp =>
  new RegExp(
    `(?:${X_AMZ})?(?:(credential)|signature|(?:security|session|access)${JOIN}token|` +
      `secret${JOIN}(?:access${JOIN})?key|api${JOIN}key|password)` +
      `(?:\\\\?["']|%22)?\\s*(=|:|%3d|%3a|%253d|%253a)\\s*\\[?\\s*(?:\\\\?["']|%(?:25)?22)?`,
    'gi',
  );

/**
 * Where a value ends, by the encoding level of the separator in front of it: a value after `%3D`
 * lives inside an encoded URL, so an encoded `&` (`%26`) ends it, while after a plain `=` the same
 * `%26` is data. In a URL only the query separators end a value (as before: everything up to `&`).
 */
const urlEnds = (): RegExp[] => [/[&#]/g, /[&#]|%2[36]/gi, /[&#]|%252[36]/gi];
/**
 * In text also blanks, quotes, brackets, `;` `,` `<` `>`, a backslash (but not `\/`, JSON's escaped
 * slash) and `…` (the cap's marker, so a capped text redacts to itself).
 */
const TEXT_END = '[\\s&;"\'<>#,)\\]}`…]|\\\\(?!/)';
const textEnds = (): RegExp[] => [
  new RegExp(TEXT_END, 'g'),
  new RegExp(`${TEXT_END}|%(?:2[02367c]|3b)`, 'gi'),
  new RegExp(`${TEXT_END}|%25(?:2[02367c]|3b)`, 'gi'),
];
/** The access key id of a credential ends at the first slash of its scope (which stays), written for the level. */
const credentialEnds = (): RegExp[] => [/\/|%2f/gi, /\/|%(?:25)?2f/gi, /\/|%(?:25){0,2}2f/gi];

/** `user:password@` after any `://` (not only the first): a URL inside a URL has its own. */
const URL_USERINFO = /:\/\/[^/?#]*@/g;
const TEXT_USERINFO = /:\/\/[^\s/?#]*@/g;
/** A SigV4 signature (or any 64+ hex run) with no name in front. */
const BARE_HEX = /(?<![\da-f])[\da-f]{64,}(?![\da-f])/gi;

/** Index of the first match of `re` (global) at or after `from`, or the text's length. */
function indexFrom(re: RegExp, text: string, from: number): number {
  re.lastIndex = from;
  const m = re.exec(text);
  return m ? m.index : text.length;
}

/** Replace the value after every name `names` finds; an empty one too when `blankEmpty` (as redactUrl always did). */
function redactNamed(text: string, names: RegExp, ends: readonly RegExp[], blankEmpty: boolean): string {
  const credentialEnd = credentialEnds();
  let out = '';
  let done = 0;
  for (let m = names.exec(text); m; m = names.exec(text)) {
    const start = names.lastIndex;
    const sep = m[2]!;
    const level = sep[0] !== '%' ? 0 : /^%25/.test(sep) ? 2 : 1;
    let end = indexFrom(ends[level]!, text, start);
    if (m[1] !== undefined) end = Math.min(end, indexFrom(credentialEnd[level]!, text, start));
    if (end === start && !blankEmpty) continue;
    out += text.slice(done, start) + REDACTED;
    done = end;
    names.lastIndex = end;
  }
  return out + text.slice(done);
}

/**
 * `text` with the values of secret-bearing names blanked (see the header for the forms), URL user
 * info blanked, and bare 64-hex-digit runs (signatures) blanked. Case-insensitive.
 */
export function redactByName(text: string): string {
  // Names first: a token's `/` must still stop the user-info pattern, or a second pass would differ.
  return redactNamed(text, textNames(), textEnds(), false)
    .replace(TEXT_USERINFO, `://${REDACTED}@`)
    .replace(BARE_HEX, REDACTED);
}

/**
 * `url` with its secrets blanked, for logs and error messages: the values of `X-Amz-Signature` and
 * `X-Amz-Security-Token`, the access key id in `X-Amz-Credential` (the scope after it stays), and
 * user info in any authority. Names may be percent-encoded once or twice and appear anywhere
 * (after `&`, `;` or `&amp;`, in the path or the fragment, in a URL nested in the query). A value
 * ends at `&` or `#` (and at their encoded forms after an encoded `=`). Everything else keeps its shape.
 */
export function redactUrl(url: string | URL): string {
  return redactNamed(String(url).replace(URL_USERINFO, `://${REDACTED}@`), urlNames(), urlEnds(), true);
}

// --- by value ------------------------------------------------------------------------------------

/**
 * Every form a secret is likely to take in text: as is, JSON-escaped (`\/`), URL-encoded once or
 * twice with either hex case. RFC 3986 encoding as SigV4 writes it; encodeURIComponent differs
 * only on `!'()*`, which AWS keys, tokens and signatures never contain (and the pieces between
 * them would still be found).
 */
function encodings(secret: string): Set<string> {
  const once = uriEncode(secret);
  const out = new Set([secret, secret.replace(/\//g, '\\/')]);
  for (const form of [once, once.replace(/%/g, '%25')]) {
    out.add(form);
    out.add(form.replace(/%(?:25)?[\dA-F]{2}/g, (e) => e.toLowerCase()));
  }
  return out;
}

/** Merge `[start, end)` ranges and replace each merged run by one REDACTED. */
function replaceRanges(text: string, ranges: [number, number][]): string {
  if (ranges.length === 0) return text;
  ranges.sort((a, b) => a[0] - b[0]);
  let out = '';
  let done = 0;
  let [start, end] = ranges[0]!;
  for (const [s, e] of ranges) {
    if (s > end) {
      out += text.slice(done, start) + REDACTED;
      done = end;
      start = s;
    }
    if (e > end) end = e;
  }
  return out + text.slice(done, start) + REDACTED + text.slice(end);
}

/**
 * `text` without `secrets` (undefined and strings under 8 characters are skipped): each exact
 * secret and URL encoding of it, and every run of 20 or more of their characters, becomes one
 * REDACTED. Overlapping or adjacent finds (two secrets side by side, a token inside a longer
 * string) merge into one, so nothing between them survives. Linear in the text.
 */
export function redactByValue(text: string, secrets: readonly (string | undefined)[]): string {
  const exact: string[] = [];
  const pieces = new Set<string>();
  const alphabet = new Set<number>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET) continue;
    for (const form of encodings(secret)) {
      if (form.length < PIECE) exact.push(form);
      else for (let i = 0; i + PIECE <= form.length; i++) pieces.add(form.slice(i, i + PIECE));
      for (let i = 0; i < form.length; i++) alphabet.add(form.charCodeAt(i));
    }
  }
  const ranges: [number, number][] = [];
  for (const form of exact) {
    for (let i = text.indexOf(form); i >= 0; i = text.indexOf(form, i + 1)) ranges.push([i, i + form.length]);
  }
  if (pieces.size > 0) {
    // Only windows made entirely of characters the secrets use can match: count the run.
    let run = 0;
    for (let i = 0; i < text.length; i++) {
      run = alphabet.has(text.charCodeAt(i)) ? run + 1 : 0;
      if (run >= PIECE && pieces.has(text.slice(i + 1 - PIECE, i + 1))) ranges.push([i + 1 - PIECE, i + 1]);
    }
  }
  return replaceRanges(text, ranges);
}

/**
 * The secrets a stream used, for `redactByValue`/`safeText`: the access key id, secret key and
 * session token of `credentials`, and the signature of each presigned URL given.
 */
export function secretsOf(credentials: Credentials | undefined, ...urls: readonly string[]): string[] {
  const out: string[] = [];
  if (credentials) {
    for (const s of [credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken])
      if (typeof s === 'string' && s) out.push(s);
  }
  for (const url of urls) {
    const m = /[?&]X-Amz-Signature=([\da-f]+)/i.exec(url);
    if (m) out.push(m[1]!);
  }
  return out;
}

// --- sanitising ----------------------------------------------------------------------------------

/** ECMA-48 CSI: `ESC [` or 0x9B, parameters, intermediates, final byte. */
const CSI = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]/;
/** The string controls OSC, DCS, SOS, PM, APC (7- or 8-bit introducer) up to their terminator (BEL or ST). */
const STRING_CONTROL = /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)/;
/** Any other escape: ESC, intermediates, final byte. */
const OTHER_ESCAPE = /\x1b[ -/]*[0-~]/;
/**
 * ECMA-48 sequences, the three above. An unterminated string control loses only its introducer (its
 * text stays visible).
 */
const ANSI = new RegExp(`${CSI.source}|${STRING_CONTROL.source}|${OTHER_ESCAPE.source}`, 'g');
/** Line and tab controls (also NEL, LS, PS) become a space; the other C0, DEL and C1 controls go. */
const BREAKS = /[\t\n\v\f\r\x85\u2028\u2029]/g;
const CONTROLS = /[\x00-\x1f\x7f-\x9f]/g;
/** Invisible format characters that can hide or reorder text on a terminal (zero-width, bidi overrides, BOM). */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Everything a terminal would interpret, removed; line breaks made spaces. */
function stripControls(text: string): string {
  return text
    .replace(ANSI, '')
    .replace(BREAKS, ' ')
    .replace(CONTROLS, '')
    .replace(INVISIBLE, '')
    .replace(LONE_SURROGATE, '\ufffd');
}

/**
 * Clean `text` (bounded first, so huge input costs little), optionally redact it, make it one
 * line, cap it. The bound keeps several times the cap: only text past what could ever be shown is
 * dropped before redaction, and a secret cut there loses any 20-character piece by value and its
 * value by name.
 */
function clean(text: string, maxLength: number, redact?: (s: string) => string): string {
  const limit = Math.max(maxLength * 4, 8192);
  const bounded = text.length > limit;
  let s = stripControls(bounded ? text.slice(0, limit) : text);
  if (redact) s = redact(s);
  s = s.replace(/\s+/g, ' ').trim();
  if (s.length <= maxLength && !bounded) return s;
  // Capped after redaction, so a cut can never leave part of a secret that redaction would have found.
  const marker = `… [cut: ${text.length} characters in all]`;
  let keep = maxLength - marker.length;
  if (keep < 1) return s.slice(0, Math.max(0, maxLength));
  keep = Math.min(keep, s.length);
  if (/[\ud800-\udbff]/.test(s[keep - 1] ?? '')) keep--; // never half a surrogate pair
  // Never part of a REDACTED: `Token=REDA…` would read as a value the next redaction blanks again.
  const marked = s.lastIndexOf(REDACTED, keep - 1);
  if (marked >= 0 && marked + REDACTED.length > keep) keep = marked;
  return s.slice(0, keep).trimEnd() + marker;
}

/**
 * `text` for display, without redaction: ANSI/ECMA-48 sequences and every control character
 * removed (line breaks and tabs become spaces), invisible format characters removed, whitespace
 * runs collapsed, trimmed, and capped at `maxLength` with a marker saying how long it was.
 */
export function sanitizeText(text: string, maxLength: number = DEFAULT_TEXT_LIMIT): string {
  return clean(String(text), maxLength);
}

/**
 * The one call for any text from outside: controls stripped, `secrets` redacted by value, secret
 * names redacted, one line, capped at `maxLength` (after redaction). Idempotent.
 */
export function safeText(
  text: string,
  secrets: readonly (string | undefined)[] = [],
  maxLength: number = DEFAULT_TEXT_LIMIT,
): string {
  return clean(String(text), maxLength, (s) => redactByName(redactByValue(s, secrets)));
}

// --- option values -------------------------------------------------------------------------------

/**
 * How an option error may show a value it rejects. Numbers, booleans and the like as they are;
 * a string only when it cannot be a secret: at most 32 printable ASCII characters, and not 16 or
 * more characters of base64/hex with a digit, `+` or `/` in them (a piece of a key, token or
 * signature; whole ones are longer than 32 anyway). Anything else by its kind and length:
 * "a string of 40 characters (not shown)".
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown =
      value.length <= 32 && /^[ -~]*$/.test(value) && !(/^[\w+/=-]{16,}$/.test(value) && /[\d+/]/.test(value));
    return shown ? JSON.stringify(value) : `a string of ${value.length} characters (not shown)`;
  }
  // Never String() a function: its source text may hold a hard-coded key.
  if (typeof value === 'function') return 'a function';
  if (typeof value !== 'object' || value === null) return String(value);
  return Array.isArray(value) ? `an array of ${value.length}` : 'an object';
}
