/**
 * Text that came from the network (transcripts, exception messages, close reasons, ids) made safe
 * to print: a server, a proxy or an attacker in between must not be able to drive the terminal
 * (colours, cursor moves, window titles, hyperlinks, clipboard writes via OSC 52), hide or reorder
 * what the reader sees (bidirectional overrides, as in "Trojan Source"), or flood a log line.
 * Printable text in any script passes unchanged.
 *
 * Not core's `sanitizeText`: that one is for error messages and also drops zero-width characters,
 * which transcripts need (ZWJ/ZWNJ in Persian, Indic scripts and emoji sequences); and here an
 * unterminated control string (OSC, DCS) is dropped to the end, since a terminal would swallow it.
 */

/** CSI (ESC [ or the C1 byte 0x9B): parameters, intermediates, final byte. */
const CSI = /\x1b\[[0-?]*[ -/]*[@-~]?|\x9b[0-?]*[ -/]*[@-~]?/;
/** OSC (ESC ]) up to BEL or ST. */
const OSC = /\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?/;
/** DCS, SOS, PM and APC (ESC P, X, ^, _) up to ST. */
const STRING_CONTROL = /\x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?/;
/** Any other ESC with its intermediates and final byte. */
const OTHER_ESCAPE = /\x1b[ -/]*[0-~]?/;
/** ECMA-48 sequences, the four above. An unterminated string sequence runs to the end of the text. */
const ESCAPE_SEQUENCE = new RegExp(`${CSI.source}|${OSC.source}|${STRING_CONTROL.source}|${OTHER_ESCAPE.source}`, 'g');

/** Line breaks of every kind, and tabs: one printed line stays one line. */
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;

/**
 * What is left to drop: C0 and C1 controls, DEL, and the bidirectional embeddings, overrides and
 * isolates (U+202A..U+202E, U+2066..U+2069). The marks LRM/RLM/ALM stay: right-to-left
 * transcripts (Arabic, Hebrew) legitimately carry them and they cannot reorder other text.
 */
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** Characters kept of a message (exception text, close reason) before it is cut with "…". */
export const MESSAGE_MAX = 500;

/** `text` as one printable line: escape sequences and controls removed, breaks made spaces. */
export function cleanText(text: string): string {
  // Fast path: nearly every transcript is plain.
  if (!/[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(text)) return text;
  return text.replace(ESCAPE_SEQUENCE, '').replace(BREAKS, ' ').replace(CONTROLS, '');
}

/** A transcript line: cleaned, with the gaps removed controls leave collapsed. */
export function cleanLine(text: string): string {
  const clean = cleanText(text);
  return clean === text ? text : clean.replace(/ {2,}/g, ' ').trim();
}

/** At most `max` characters (UTF-16 units), cut with "…" and never inside a surrogate pair. */
export function clip(text: string, max: number = MESSAGE_MAX): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** A message for one line of stderr: cleaned, collapsed and capped. */
export function cleanMessage(text: string, max: number = MESSAGE_MAX): string {
  return clip(cleanText(text).replace(/ {2,}/g, ' ').trim(), max);
}

/** Keys whose values are messages (capped) in JSON output; every other string is only cleaned. */
const MESSAGE_KEYS = new Set(['message', 'reason']);

/**
 * JSON.stringify with every string cleaned: the output stays valid JSON, and what a reader decodes
 * from it (`jq -r .text`) carries no control character either. JSON.stringify alone would escape
 * C0 controls but pass DEL, C1 controls and bidirectional overrides through raw.
 */
export function safeJson(value: unknown, space?: number): string {
  return JSON.stringify(
    value,
    (key, v: unknown) => (typeof v === 'string' ? (MESSAGE_KEYS.has(key) ? cleanMessage(v) : cleanText(v)) : v),
    space,
  );
}
