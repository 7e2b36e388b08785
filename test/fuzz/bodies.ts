// Message bodies as bytes: JSON text of a document, sometimes spoiled at the byte level (invalid
// UTF-8, a BOM, trailing garbage, cut short) the way a broken proxy or encoder would spoil it.
import type { JValue } from './json.ts';
import { toJsonText } from './json.ts';
import type { Rng } from './rng.ts';
import { concatBytes } from '../helpers/bytes.ts';

export type Spoil = 'none' | 'invalid-utf8' | 'bom' | 'trailing' | 'cut' | 'nul';

export function spoil(r: Rng): Spoil {
  return r.weighted<Spoil>([
    [8, 'none'],
    [1, 'invalid-utf8'],
    [1, 'bom'],
    [1, 'trailing'],
    [1, 'cut'],
    [1, 'nul'],
  ]);
}

/** The body bytes of `doc`, spoiled as told (`at` in [0,1) places a byte-level change). */
export function bodyBytes(doc: JValue, how: Spoil = 'none', at = 0.5): Uint8Array {
  // Buffer: native and fast for megabyte bodies; lone surrogates become U+FFFD as with TextEncoder.
  const text = new Uint8Array(Buffer.from(toJsonText(doc), 'utf8'));
  const i = Math.floor(at * text.length);
  switch (how) {
    case 'none':
      return text;
    case 'invalid-utf8':
      return concatBytes([text.subarray(0, i), Uint8Array.of(0xff, 0xc0, 0x80, 0xed, 0xa0, 0x80), text.subarray(i)]);
    case 'bom':
      return concatBytes([Uint8Array.of(0xef, 0xbb, 0xbf), text]);
    case 'trailing':
      return concatBytes([text, new Uint8Array(Buffer.from('}\u0000garbage', 'utf8'))]);
    case 'cut':
      return text.subarray(0, i);
    case 'nul':
      return concatBytes([text.subarray(0, i), Uint8Array.of(0), text.subarray(i)]);
  }
}
