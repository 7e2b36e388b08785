/**
 * Loads the optional peer `ws` when an emulator starts, not when the module is imported, so
 * `import 'transcribe-stream/emulator'` works without it and starting one says what to install.
 */
import { EmulatorError } from './errors.js';

export type WsModule = typeof import('ws');

export const WS_MISSING_MESSAGE = 'the emulator needs the optional peer ws: npm install -D ws';

let loaded: Promise<WsModule> | undefined;

/** True for Node's "cannot find package 'ws'" (not for a module ws itself failed to find). */
function isWsMissing(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (e === null || typeof e !== 'object') return false;
  if (e.code !== 'ERR_MODULE_NOT_FOUND' && e.code !== 'MODULE_NOT_FOUND') return false;
  return typeof e.message === 'string' && /(['"])ws\1/.test(e.message);
}

export function loadWs(): Promise<WsModule> {
  loaded ??= import('ws').catch((err: unknown) => {
    loaded = undefined;
    if (isWsMissing(err)) throw new EmulatorError('WS_NOT_INSTALLED', WS_MISSING_MESSAGE, err);
    throw err;
  });
  return loaded;
}
