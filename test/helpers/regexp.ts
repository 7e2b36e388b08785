/**
 * One regular expression from parts written as regex literals, so a long pattern can be wrapped at
 * 120 columns and still read as a pattern (not as a string with every backslash doubled). Each part
 * must be a whole regex on its own (no group or class cut in two); the flags are the first part's.
 */
export function joinRegExp(...parts: RegExp[]): RegExp {
  return new RegExp(parts.map((p) => p.source).join(''), parts[0]?.flags);
}
