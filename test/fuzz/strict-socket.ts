// The fake server's sockets as the service sees them, with the one rule of a real WHATWG WebSocket
// the fake does not enforce: close() throws for a code other than 1000 or 3000-4999 (Node and Deno
// throw InvalidAccessError for 1002) or a reason over 123 UTF-8 bytes (SyntaxError). Also records,
// per socket, whether it opened and how the client closed it.
import type { SocketFactory, TranscribeSocket } from '../../dist/core/index.js';
import type { FakeServer, FakeSocket } from '../helpers/fake-socket.ts';

export interface Tracked {
  readonly fake: FakeSocket;
  readonly number: number;
  opened: boolean;
  /** The first close() the client made, as it made it. */
  clientClose: { code: number | undefined; reason: string | undefined } | undefined;
  /** A close() that a real WebSocket would have thrown for. */
  badClose: string | undefined;
}

export function strictFactory(server: FakeServer, tracked: Tracked[]): SocketFactory {
  return (url, events) => {
    let t: Tracked | undefined;
    const wrapped = {
      open: (): void => {
        if (t) t.opened = true;
        events.open();
      },
      // The service's own callback, untouched: the fuzzer calls it directly.
      message: events.message,
      close: events.close,
    };
    server.factory(url, wrapped);
    const fake = server.last;
    const entry: Tracked = {
      fake,
      number: tracked.length + 1,
      opened: false,
      clientClose: undefined,
      badClose: undefined,
    };
    t = entry;
    tracked.push(entry);
    const socket: TranscribeSocket = {
      send: (data) => fake.send(data),
      close: (code, reason) => {
        entry.clientClose ??= { code, reason };
        if (code !== undefined && code !== 1000 && !(code >= 3000 && code <= 4999)) {
          entry.badClose = `close(${code}): a WHATWG WebSocket throws InvalidAccessError`;
          throw new DOMException(
            `The code must be either 1000, or between 3000 and 4999. ${code} is neither.`,
            'InvalidAccessError',
          );
        }
        if (reason !== undefined && Buffer.byteLength(reason, 'utf8') > 123) {
          entry.badClose =
            `close() with a ${Buffer.byteLength(reason, 'utf8')}-byte reason: a WHATWG WebSocket ` +
            `throws SyntaxError`;
          throw new DOMException('The close reason must not be greater than 123 UTF-8 bytes.', 'SyntaxError');
        }
        fake.close(code, reason);
      },
      get bufferedAmount() {
        return fake.bufferedAmount;
      },
    };
    return socket;
  };
}

/** The socket the server talks on: the newest one that opened and is not closed. */
export function liveSocket(tracked: readonly Tracked[]): Tracked | undefined {
  for (let i = tracked.length - 1; i >= 0; i--) {
    const t = tracked[i]!;
    if (t.opened && !t.fake.closed) return t;
  }
  return undefined;
}
