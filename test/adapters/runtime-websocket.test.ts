// Each adapter needs a WebSocket: the runtime's global, or one passed as { WebSocket }. Without
// either (Node 20 has no global WebSocket) the adapter says so with a typed error an application or
// the command line can branch on (RUNTIME_UNSUPPORTED), naming what to do, before anything else.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AWSTranscribeSTTService, nodeRuntime, TranscribeError } from '../../dist/adapters/node.js';
import { bunRuntime } from '../../dist/adapters/bun.js';
import { webRuntime } from '../../dist/adapters/web-runtime.js';

/** `fn` run with no global WebSocket, as on Node 20; the global put back after. */
function withoutWebSocket(fn: () => void): void {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket');
  delete (globalThis as { WebSocket?: unknown }).WebSocket;
  try {
    fn();
  } finally {
    if (saved) Object.defineProperty(globalThis, 'WebSocket', saved);
  }
}

function thrown(fn: () => unknown): TranscribeError {
  try {
    fn();
  } catch (e) {
    assert.instance(e, TranscribeError, `a TranscribeError, not ${String(e)}`);
    return e as TranscribeError;
  }
  assert.unreachable('it should have thrown');
  throw new Error('unreachable');
}

test('Node without a global WebSocket: RUNTIME_UNSUPPORTED saying Node 22 or newer, or pass { WebSocket }', () => {
  withoutWebSocket(() => {
    for (const make of [() => nodeRuntime(), () => new AWSTranscribeSTTService({})]) {
      const e = thrown(make);
      assert.is(e.code, 'RUNTIME_UNSUPPORTED');
      assert.not.ok(e.retryable);
      assert.match(e.message, /needs Node 22 or newer, or pass \{ WebSocket \}/);
      assert.ok(e.message.includes(`this is Node ${process.versions.node}`), e.message);
    }
    // What the message says to do works.
    class PassedWebSocket {}
    const rt = nodeRuntime({ WebSocket: PassedWebSocket as never });
    assert.type(rt.socketFactory, 'function');
  });
});

test('the other adapters without a WebSocket: the same code', () => {
  withoutWebSocket(() => {
    for (const make of [() => bunRuntime(), () => webRuntime()]) {
      const e = thrown(make);
      assert.is(e.code, 'RUNTIME_UNSUPPORTED');
      assert.match(e.message, /no global WebSocket.*pass \{ WebSocket \}/);
    }
  });
});

test.run();
