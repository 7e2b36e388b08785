/**
 * The ISO-8601 basic timestamps SigV4 uses (`X-Amz-Date`: YYYYMMDDTHHMMSSZ), parsed strictly:
 * AWS rejects anything else, so the emulator does too.
 */

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** Milliseconds since the epoch, or undefined when `text` is not a valid X-Amz-Date. */
export function parseAmzDate(text: string): number | undefined {
  const m = AMZ_DATE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 20240230 over to March; a real calendar date must round-trip.
  return formatAmzDate(ms) === text ? ms : undefined;
}

/** `YYYYMMDDTHHMMSSZ` for a time in milliseconds. */
export function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
