// Bun's WebSocket client against a Node `ws` server, on the shapes the service depends on:
// sends of views at an offset into a larger buffer (only the view's bytes may go out), a buffer
// reused right after send (the bytes sent must not change), payload lengths around the 7/16/64-bit
// length encodings, and on receipt: ArrayBuffer data with binaryType 'arraybuffer', fragmented
// messages reassembled, and earlier messages' buffers not reused by later ones.
// Prints one JSON line: what was received, for the Node test to compare.

declare const Bun: { argv: string[] };

const url = Bun.argv[2]!;
const SIZES = [0, 1, 125, 126, 127, 65535, 65536, 70000];

function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed * 7 + 1) & 0xff;
  return out;
}

function hex32(data: Uint8Array): string {
  // FNV-1a over the bytes plus the length: enough to tell any mismatch apart.
  let h = 0x811c9dc5;
  for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data[i]!, 0x01000193);
  return `${data.length}:${(h >>> 0).toString(16)}`;
}

const ws = new WebSocket(url);
ws.binaryType = 'arraybuffer';
const received: { type: string; digest: string }[] = [];
const kept: { bytes: Uint8Array; digest: string }[] = [];
ws.onopen = () => {
  // 1. Views at an offset into one large reused buffer, overwritten right after each send.
  const big = new Uint8Array(200_000);
  SIZES.forEach((n, i) => {
    const view = big.subarray(17, 17 + n);
    view.set(pattern(n, i));
    ws.send(view);
    big.fill(0xee);
  });
  // 2. Ask the server for its messages (plain and fragmented).
  ws.send(new TextEncoder().encode('reply'));
};
ws.onmessage = (ev) => {
  const data = ev.data as unknown;
  const type = data instanceof ArrayBuffer ? 'ArrayBuffer' : Object.prototype.toString.call(data);
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data as ArrayBuffer);
  const digest = hex32(bytes);
  received.push({ type, digest });
  kept.push({ bytes, digest });
  if (received.length === SIZES.length + 1) ws.close(1000, 'done');
};
ws.onclose = (ev) => {
  // Earlier messages must be intact after later ones arrived (no shared receive buffer).
  const reused = kept.filter((k) => hex32(k.bytes) !== k.digest).length;
  console.log(JSON.stringify({ received, reused, closeCode: ev.code }));
};
ws.onerror = () => console.log(JSON.stringify({ error: 'websocket error' }));
