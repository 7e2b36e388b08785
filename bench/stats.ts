// The statistics every bench prints: medians over paired rounds, their spread, and ratios to the
// peer computed per round (a ratio of medians would hide how much the rounds disagree).

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A figure as the tables print it: whole and thousands-separated from 100 up, else 1 or 2 decimals. */
export function figure(x: number): string {
  return x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(x >= 10 ? 1 : 2);
}

/** Ratios of several rounds as "median x [min..max]". */
export function ratioSpread(ratios: readonly number[]): string {
  return `${median(ratios).toFixed(2)}x [${Math.min(...ratios).toFixed(2)}..${Math.max(...ratios).toFixed(2)}]`;
}

/** ours / peer in each paired round (same index, same round), as ratioSpread. */
export function pairedRatio(ours: readonly number[], peer: readonly number[]): string {
  return ratioSpread(ours.map((x, i) => x / peer[i]!));
}
