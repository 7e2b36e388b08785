// The command on a Node that is too old: one line that names the version it needs and the one it
// found, exit 2, before anything else is loaded. Run for real with the machine's own Node when it
// is older than the minimum (this machine's /usr/bin/node is 20); the check itself in-process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIN_NODE, nodeVersionProblem } from '../../dist/cli/node-version.js';
import { cli, lines, root } from '../helpers/cli-run.ts';

test('the minimum is the one package.json declares', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
  assert.is(pkg.engines.node, `>=${MIN_NODE.major}.${MIN_NODE.minor}`);
});

test('versions below the minimum are named; the minimum and later pass', () => {
  assert.match(nodeVersionProblem('20.11.1')!, /^transcribe-stream needs Node 22\.12 or newer \(found 20\.11\.1\)/);
  assert.match(nodeVersionProblem('18.20.4')!, /found 18\.20\.4/);
  assert.match(nodeVersionProblem('22.11.0')!, /found 22\.11\.0/);
  for (const ok of ['22.12.0', '22.23.3', '23.0.0', '24.1.0', '30.0.0'])
    assert.is(nodeVersionProblem(ok), undefined, ok);
});

/** A Node binary on this machine older than the minimum, if there is one. */
function oldNode(): { path: string; version: string } | undefined {
  const candidates = new Set(['/usr/bin/node', '/usr/local/bin/node', '/bin/node']);
  try {
    for (const p of execFileSync('which', ['-a', 'node'], {
      encoding: 'utf8',
      env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
    }).split('\n'))
      if (p) candidates.add(p);
  } catch {
    // no `which`: the fixed candidates
  }
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    try {
      const version = execFileSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
      if (nodeVersionProblem(version) !== undefined) return { path, version };
    } catch {
      // not runnable
    }
  }
  return undefined;
}

const old = oldNode();
if (old) {
  test(`the built command on Node ${old.version} (${old.path}): one line, exit 2, for every subcommand`, async () => {
    for (const args of [['--help'], ['demo'], [join(root, 'emulator/sample/demo.wav'), '--emulator'], ['emulator']]) {
      const r = await cli(args, { node: old.path });
      assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.is(r.stdout, '');
      assert.equal(lines(r.stderr), [nodeVersionProblem(old.version)!]);
    }
  });
} else {
  // Say so in the output rather than pass silently: the in-process tests above still ran.
  console.log('cli-node-version: no Node older than the minimum on this machine; the real run is not exercised');
}

test.run();
