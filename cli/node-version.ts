/**
 * The Node version check the command runs before loading anything else. It imports nothing and
 * uses only old syntax, so Node 18 or 20 reads it and says what is wrong instead of failing inside
 * a module it cannot link or run (node:zlib's crc32, the global WebSocket).
 */

/** The oldest Node the package supports (package.json "engines"). */
export const MIN_NODE = { major: 22, minor: 12 };

/** The line to print when `version` (process.versions.node, e.g. "20.11.1") is too old, else undefined. */
export function nodeVersionProblem(version: string): string | undefined {
  const parts = version.split('.');
  const major = Number(parts[0]);
  const minor = Number(parts[1]);
  if (!Number.isFinite(major) || !Number.isFinite(minor)) return undefined;
  if (major > MIN_NODE.major || (major === MIN_NODE.major && minor >= MIN_NODE.minor)) return undefined;
  return (
    `transcribe-stream needs Node ${MIN_NODE.major}.${MIN_NODE.minor} or newer (found ${version}): install a ` +
    `current Node from https://nodejs.org, or switch with nvm`
  );
}
