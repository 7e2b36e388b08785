// webSocketFactory (core/service/streams/socket.ts) over a scripted WHATWG-like WebSocket: how each
// runtime behaviour (errors without a close, close inside close(), throwing sends and closes, views
// as data) becomes the three SocketEvents, and that nothing a handler throws reaches the runtime.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { webSocketFactory } from '../../../../dist/core/index.js';
import type { SocketCloseInfo, SocketEvents, WebSocketLike } from '../../../../dist/core/index.js';

class ScriptedWebSocket implements WebSocketLike {
  static last: ScriptedWebSocket | undefined;
  binaryType = 'blob';
  bufferedAmount = 0;
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  readonly sent: Uint8Array[] = [];
  readonly closes: [number | undefined, string | undefined][] = [];
  throwOnSend = false;
  throwOnClose = false;
  /** Node 22 on a socket that never opened: the error event fires inside close(). */
  errorInsideClose = false;
  readonly url: string;

  constructor(url: string) {
    this.url = url;
    ScriptedWebSocket.last = this;
  }

  send(data: Uint8Array): void {
    if (this.throwOnSend) throw new Error('InvalidStateError');
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closes.push([code, reason]);
    if (this.throwOnClose) throw new Error('InvalidAccessError');
    if (this.errorInsideClose) this.onerror?.({});
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
}

function connect(diagnose?: Parameters<typeof webSocketFactory>[1], handlers: Partial<SocketEvents> = {}) {
  const got = { opened: 0, messages: [] as number[][], closes: [] as SocketCloseInfo[] };
  const events: SocketEvents = {
    open: () => void got.opened++,
    message: (d) => void got.messages.push(Array.from(d)),
    close: (info) => void got.closes.push(info),
    ...handlers,
  };
  const socket = webSocketFactory(ScriptedWebSocket, diagnose)('wss://transcribe.test/x', events);
  const ws = ScriptedWebSocket.last!;
  return { socket, ws, got };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

test('binary frames as ArrayBuffer or as a view at an offset; text frames ignored', () => {
  const { ws, got } = connect();
  assert.is(ws.binaryType, 'arraybuffer');
  ws.open();
  ws.onmessage!({ data: new Uint8Array([1, 2, 3]).buffer });
  const backing = new Uint8Array([9, 9, 4, 5, 9]);
  ws.onmessage!({ data: new DataView(backing.buffer, 2, 2) });
  ws.onmessage!({ data: 'a text frame' });
  assert.equal(got.messages, [
    [1, 2, 3],
    [4, 5],
  ]);
});

test("send: false unless open, false when the runtime throws; bufferedAmount is the socket's", () => {
  const { socket, ws } = connect();
  assert.not.ok(socket.send(new Uint8Array([1])), 'connecting');
  ws.open();
  assert.ok(socket.send(new Uint8Array([2])));
  ws.bufferedAmount = 1234;
  assert.is(socket.bufferedAmount, 1234);
  ws.throwOnSend = true;
  assert.not.ok(socket.send(new Uint8Array([3])), 'a send the runtime refuses');
  assert.equal(
    ws.sent.map((d) => d[0]),
    [2],
  );
});

test('close: codes WHATWG refuses become 1000, reasons are cut to 40 characters, a throwing close stays quiet', () => {
  const { socket, ws } = connect();
  ws.open();
  socket.close(1011, 'r'.repeat(200));
  socket.close(4000, 'fine');
  socket.close();
  ws.throwOnClose = true;
  socket.close(1000, 'again'); // would throw here if not caught
  assert.equal(ws.closes, [
    [1000, 'r'.repeat(40)],
    [4000, 'fine'],
    [undefined, undefined],
    [1000, 'again'],
  ]);
});

test('failed handshake, no close event: closed once, 1006 and statusHidden, even if error fires in close()', () => {
  const { ws, got } = connect();
  ws.errorInsideClose = true;
  ws.onerror!({});
  assert.equal(got.closes, [{ code: 1006, reason: '', opened: false, statusHidden: true }]);
  assert.is(ws.closes.length, 1, 'the error fired inside close() does not close again (no recursion)');
  ws.onclose!({ code: 1006, reason: '' });
  assert.is(got.closes.length, 1, 'a late close event adds nothing');
});

test('failed handshake with a diagnosis: the status and body found; none or a failing one: plain close', async () => {
  const answers: ({ status: number; body: string } | undefined | Error)[] = [
    { status: 403, body: '{"message":"no"}' },
    undefined,
    new Error('offline'),
  ];
  for (const answer of answers) {
    const urls: string[] = [];
    const { ws, got } = connect(async (url) => {
      urls.push(url);
      if (answer instanceof Error) throw answer;
      return answer;
    });
    ws.onclose!({ code: 1006, reason: '' });
    assert.equal(got.closes, [], 'not before the diagnosis');
    await tick();
    assert.equal(urls, ['wss://transcribe.test/x'], 'the same presigned URL');
    const want = answer && !(answer instanceof Error) ? { status: 403, body: '{"message":"no"}' } : {};
    assert.equal(got.closes, [{ code: 1006, reason: '', opened: false, ...want }]);
  }
});

test('a diagnosis is announced before it starts (diagnosing, what is known), once; never without one', async () => {
  const order: string[] = [];
  let answer!: (d: { status: number; body: string }) => void;
  const { ws } = connect(
    () => {
      order.push('diagnose');
      return new Promise((resolve) => (answer = resolve));
    },
    {
      diagnosing: (info) => void order.push(`diagnosing ${JSON.stringify(info)}`),
      close: (info) => void order.push(`close ${info.status}`),
    },
  );
  ws.onerror!({});
  ws.onclose!({ code: 1006, reason: '' });
  assert.equal(order, ['diagnosing {"code":1006,"reason":"","opened":false}', 'diagnose']);
  answer({ status: 403, body: '' });
  await tick();
  assert.equal(order.slice(2), ['close 403']);
  const hidden: string[] = [];
  const plain = connect(undefined, { diagnosing: () => void hidden.push('diagnosing') });
  plain.ws.onclose!({ code: 1006, reason: '' });
  assert.equal(hidden, [], 'no diagnosis, nothing announced');
});

test('no diagnosis for a socket we closed, nor after it opened; error after open waits for the close', async () => {
  let asked = 0;
  const diagnose = async (): Promise<undefined> => void asked++;
  const ours = connect(diagnose);
  ours.socket.close(1000, 'cancelled');
  ours.ws.onclose!({ code: 1006, reason: '' });
  await tick();
  assert.equal(ours.got.closes, [{ code: 1006, reason: '', opened: false }]);
  const open = connect(diagnose);
  open.ws.open();
  open.ws.onerror!({});
  assert.equal(open.got.closes, [], 'after open, an error is followed by a close event');
  open.ws.onclose!({ code: 1011, reason: 'server error' });
  await tick();
  assert.equal(open.got.closes, [{ code: 1011, reason: 'server error', opened: true }]);
  assert.is(asked, 0);
});

test('handlers that throw never reach the runtime', () => {
  const boom = (): never => {
    throw new Error('handler bug');
  };
  const { ws } = connect(undefined, { open: boom, message: boom, close: boom });
  ws.open();
  ws.onmessage!({ data: new Uint8Array([1]).buffer });
  ws.onclose!({ code: 1000, reason: '' });
});

test.run();
