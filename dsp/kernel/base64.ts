/** Base64 -> bytes without atob (absent in QuickJS); only used once, to unpack the embedded .wasm. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  let len = text.length;
  while (text.charCodeAt(len - 1) === 61) len--; // '=' padding
  const out = new Uint8Array((len * 3) >> 2);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    // 'A'-'Z' 0-25, 'a'-'z' 26-51, '0'-'9' 52-61, '+' 62, '/' 63 (their char codes, shifted).
    acc = (acc << 6) | (c > 96 ? c - 71 : c > 64 ? c - 65 : c > 47 ? c + 4 : c === 43 ? 62 : 63);
    bits += 6;
    if (bits >= 8) out[o++] = acc >> (bits -= 8);
  }
  return out;
}
