// Workers in-process: a module bundled the way wrangler bundles it (the package resolved through its
// workerd condition) runs in workerd under miniflare. Shared by the Workers matrix row and the
// presigned-URL handler's Worker test.
import { build } from 'esbuild';
import type { Miniflare } from 'miniflare';
import { ROOT } from './harness.ts';

/** miniflare's class, or why it cannot be loaded (the test skips with that). */
export async function loadMiniflare(): Promise<typeof Miniflare | { skip: string }> {
  try {
    return (await import('miniflare')).Miniflare;
  } catch (err) {
    return { skip: `miniflare cannot be loaded (${(err as Error).message}); run npm ci` };
  }
}

/** Bundles a Worker module from a file or from source (resolved from the repo root) into `outfile`. */
export async function bundleWorker(
  input: { entry: string } | { contents: string },
  outfile: string,
  external: string[] = [],
): Promise<void> {
  await build({
    ...('entry' in input
      ? { entryPoints: [input.entry] }
      : { stdin: { contents: input.contents, resolveDir: ROOT, loader: 'js' } }),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external,
    outfile,
    logLevel: 'warning',
  });
}

/**
 * The Worker at `script` in workerd. Module names are relative to `root` (workerd refuses '..' above
 * it); with `wasm`, .wasm imports are compiled modules, as on Cloudflare.
 */
export function runWorker(
  MF: typeof Miniflare,
  o: { script: string; root: string; wasm?: boolean; bindings?: Record<string, string> },
): Miniflare {
  return new MF({
    modules: true,
    scriptPath: o.script,
    modulesRoot: o.root,
    ...(o.wasm ? { modulesRules: [{ type: 'CompiledWasm' as const, include: ['**/*.wasm'] }] } : {}),
    compatibilityDate: '2026-01-01',
    ...(o.bindings ? { bindings: o.bindings } : {}),
  });
}

/** dispose(), bounded: a workerd that failed to start can make it hang, and the test must still end. */
export async function disposeWorker(mf: Miniflare): Promise<void> {
  await Promise.race([mf.dispose().catch(() => undefined), new Promise((r) => setTimeout(r, 5000).unref())]);
}
