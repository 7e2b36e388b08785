/**
 * The optional peers of `transcribe-stream/livekit`, loaded with one clear error when missing.
 *
 * A static `import … from '@livekit/agents'` cannot give that error: ESM links every static import
 * before any code of the importing module runs, so a missing package fails with Node's bare
 * ERR_MODULE_NOT_FOUND and nothing here could add "install it". So the entry awaits a dynamic
 * import at top level instead, and the classes that extend the framework's are defined after it.
 * The cost: this entry cannot be `require()`d (top-level await); `import()` it from CommonJS.
 */

import type * as Agents from '@livekit/agents';

export type AgentsModule = typeof Agents;

/** What a LiveKit app installs next to this package (`@livekit/agents` needs `@livekit/rtc-node`). */
export const PEERS: readonly string[] = ['@livekit/agents', '@livekit/rtc-node'];

/** The entry could not load its peers; `missing` names the packages to install (empty: they failed to load). */
export class PeerDependencyError extends Error {
  override readonly name: string = 'PeerDependencyError';
  readonly code: 'MISSING_PEER_DEPENDENCY' | 'PEER_LOAD_FAILED';
  readonly missing: readonly string[];

  constructor(missing: readonly string[], cause: unknown) {
    const install = `npm install ${PEERS.join(' ')}`;
    super(
      missing.length > 0
        ? `transcribe-stream/livekit needs the optional peer dependencies ${PEERS.join(' and ')}; ` +
            `not found: ${missing.join(', ')}. Install them next to transcribe-stream: ${install}`
        : `transcribe-stream/livekit could not load @livekit/agents: ${messageOf(cause)}. ` +
            `If a native @livekit/* package for this platform is missing, reinstall without --omit=optional ` +
            `(${install})`,
      { cause },
    );
    this.code = missing.length > 0 ? 'MISSING_PEER_DEPENDENCY' : 'PEER_LOAD_FAILED';
    this.missing = missing;
  }
}

/** `@livekit/agents`, or a PeerDependencyError naming what to install. */
export async function loadAgents(
  load: () => Promise<AgentsModule> = () => import('@livekit/agents'),
  resolve: (specifier: string) => unknown = (s) => import.meta.resolve(s),
): Promise<AgentsModule> {
  try {
    return await load();
  } catch (err) {
    const named = /Cannot find (?:package|module) '([^']+)'/.exec(messageOf(err))?.[1];
    const missing = PEERS.filter((peer) => named === peer || !resolvable(resolve, peer));
    throw new PeerDependencyError(missing, err);
  }
}

function resolvable(resolve: (specifier: string) => unknown, specifier: string): boolean {
  try {
    resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The framework, for the classes that extend it (evaluated before them: see the module comment). */
export const agents: AgentsModule = await loadAgents();
