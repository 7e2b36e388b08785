/**
 * Edit distance for "did you mean …?" suggestions (language codes, CLI flags): insertions,
 * deletions, substitutions and swaps of two neighbours each count 1 (optimal string alignment),
 * so the commonest typo, `yeu` for `yue`, is one edit away, not two.
 */
export function editDistance(a: string, b: string): number {
  // Three rows: the one before last is needed for swaps.
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      cur[j] = d;
    }
    before = prev;
    prev = cur;
  }
  return prev[b.length]!;
}
