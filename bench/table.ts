// What every bench/<area>.bench.ts shares: the table it returns from run({ smoke }), that table as
// markdown, and running itself when executed directly (`node bench/<area>.bench.ts [--smoke]`).
// bench/run.mjs prints every area through the same markdown() (via bench/readme-table.mjs).
import { pathToFileURL } from 'node:url';

export interface BenchTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  notes?: string[];
}

export interface MarkdownStyle {
  /** Right-align every column but the first (figures line up in a plain-text view). */
  alignFigures?: boolean;
  /** Notes as block quotes instead of italic paragraphs. */
  quoteNotes?: boolean;
}

/** One table as GitHub markdown: a heading, the table, then each note as its own paragraph. */
export function markdown(t: BenchTable, style: MarkdownStyle = {}): string {
  const rule = style.alignFigures
    ? t.columns.map((_, i) => (i === 0 ? '---' : '---:')).join('|')
    : t.columns.map(() => ' --- ').join('|');
  const lines = [`### ${t.title}`, '', `| ${t.columns.join(' | ')} |`, `|${rule}|`];
  for (const r of t.rows) lines.push(`| ${r.join(' | ')} |`);
  for (const n of t.notes ?? []) lines.push('', style.quoteNotes ? `> ${n}` : `_${n}_`);
  return lines.join('\n');
}

/**
 * When the module at `importMetaUrl` is the script Node was started with (not imported by
 * bench/run.mjs or a test), runs it (`--smoke` from the command line) and prints its tables,
 * by default as markdown separated by blank lines.
 */
export async function runIfMain(
  importMetaUrl: string,
  run: (opts: { smoke: boolean }) => Promise<BenchTable[]>,
  print: (tables: BenchTable[]) => string = (tables) => tables.map((t) => markdown(t)).join('\n\n'),
): Promise<void> {
  if (!process.argv[1] || importMetaUrl !== pathToFileURL(process.argv[1]).href) return;
  const tables = await run({ smoke: process.argv.includes('--smoke') });
  console.log(print(tables));
}
