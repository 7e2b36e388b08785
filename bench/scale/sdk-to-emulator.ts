// The official @aws-sdk/client-transcribe-streaming pointed at the local emulator, over
// @aws-sdk/middleware-websocket's WebSocketFetchHandler (Node 22's global WebSocket, as the handler
// finds it at connect time). Shared by the scale bench's SDK client and test/emulator-peer.test.ts,
// so the client the bench measures is the one the test proves compatible.
import { TranscribeStreamingClient } from '@aws-sdk/client-transcribe-streaming';
import type { TranscribeStreamingClientConfig } from '@aws-sdk/client-transcribe-streaming';
import { WebSocketFetchHandler } from '@aws-sdk/middleware-websocket';

export interface SdkToEmulatorOptions {
  /** The emulator's port on 127.0.0.1. */
  port: number;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** true: every message in a signed envelope (the Node default); false: the browser build's plain AudioEvents. */
  signed: boolean;
  /**
   * The handler's connection timeout, ms. A refused upgrade is only noticed through it (it listens for open,
   * not error).
   */
  connectionTimeout: number;
}

type Args = { request: { hostname: string; port?: number; protocol: string; headers: Record<string, string> } };

/**
 * The official client aimed at the emulator (protocol.md §5.3): host and port replaced right after
 * websocketPortMiddleware (so the signed host is the one the socket sends), and ws: instead of the
 * forced wss: just before the request goes out (the protocol is not signed).
 */
export function sdkClientForEmulator(opts: SdkToEmulatorOptions): TranscribeStreamingClient {
  const { port } = opts;
  const client = new TranscribeStreamingClient({
    region: 'us-east-1',
    credentials: opts.credentials,
    requestHandler: new WebSocketFetchHandler({ connectionTimeout: opts.connectionTimeout }),
    // The browser build's pass-through: plain AudioEvents instead of signed envelopes.
    ...(opts.signed
      ? {}
      : {
          eventStreamPayloadHandlerProvider: () => ({
            handle: (next: (a: unknown) => unknown, args: unknown) => next(args),
          }),
        }),
  } as TranscribeStreamingClientConfig);
  client.middlewareStack.addRelativeTo(
    ((next: (a: Args) => Promise<unknown>) => (args: Args) => {
      args.request.hostname = '127.0.0.1';
      args.request.port = port;
      args.request.headers.host = `127.0.0.1:${port}`;
      return next(args);
    }) as never,
    { relation: 'after', toMiddleware: 'websocketPortMiddleware', name: 'emulatorHostMiddleware' },
  );
  client.middlewareStack.add(
    ((next: (a: Args) => Promise<unknown>) => (args: Args) => {
      args.request.protocol = 'ws:';
      return next(args);
    }) as never,
    { step: 'finalizeRequest', priority: 'low', name: 'emulatorWsProtocolMiddleware' },
  );
  return client;
}
