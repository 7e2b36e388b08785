/**
 * Text that came from the server (exception messages, close reasons, handshake bodies), made fit for
 * an error message: the service's own secrets scrubbed by value, signatures and tokens by name,
 * control characters (ANSI escapes included) removed, and the length capped after all that, so a
 * cut can never leave part of a secret in view.
 */

const MAX_LENGTH = 500;
const REDACTED = '[redacted]';

export function cleanServerText(text: string, secrets: readonly string[]): string {
  let s = text;
  for (const secret of secrets) {
    for (const form of [secret, encodeURIComponent(secret), encodeURIComponent(encodeURIComponent(secret))]) s = s.split(form).join(REDACTED);
  }
  s = s
    .replace(/(X-Amz-(?:Signature|Security-Token|Credential)(?:=|"?\s*[:=]\s*"?))[^&\s"',;]*/gi, `$1${REDACTED}`)
    .replace(/\b[0-9a-f]{64}\b/gi, REDACTED)
    // eslint-disable-next-line no-control-regex
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|[\x00-\x1f\x7f-\x9f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return s.length > MAX_LENGTH ? `${s.slice(0, MAX_LENGTH)}… (${s.length - MAX_LENGTH} more characters)` : s;
}
