// Subtitle files checked the way a player would read them: WebVTT by the W3C's parser and
// validator (webvtt-parser), which reports any deviation from the spec (signature, timestamps,
// cue order, end after start); SubRip by a strict reading of its de-facto grammar (a counter from
// 1, `HH:MM:SS,mmm --> HH:MM:SS,mmm`, text lines, a blank line), then its timings through the
// same W3C parser once turned into WebVTT.
import * as assert from 'uvu/assert';
import webvtt from 'webvtt-parser';

export interface Cue {
  id: string;
  /** Seconds. */
  start: number;
  end: number;
  lines: string[];
}

export function parseVtt(text: string): Cue[] {
  const { cues, errors } = new webvtt.WebVTTParser().parse(text, 'metadata');
  assert.equal(errors, [], `WebVTT errors:\n${JSON.stringify(errors)}\n${text}`);
  return cues.map((c) => ({ id: c.id, start: c.startTime, end: c.endTime, lines: c.text.split('\n') }));
}

const SRT_TIME = /^(\d{2,}):([0-5]\d):([0-5]\d),(\d{3}) --> (\d{2,}):([0-5]\d):([0-5]\d),(\d{3})$/;

export function parseSrt(text: string): Cue[] {
  if (text === '') return [];
  assert.ok(text.endsWith('\n\n'), 'a SubRip file ends with the blank line after its last cue');
  assert.not.match(text, /\r/, 'one kind of line ending');
  const blocks = text.slice(0, -2).split('\n\n');
  const cues: Cue[] = [];
  blocks.forEach((block, i) => {
    const [counter, timing, ...lines] = block.split('\n');
    assert.is(counter, String(i + 1), `cue ${i + 1}: its counter`);
    const m = SRT_TIME.exec(timing ?? '');
    assert.ok(m, `cue ${i + 1}: timing line ${JSON.stringify(timing)}`);
    assert.ok(lines.length >= 1 && lines.every((l) => l.trim() !== ''), `cue ${i + 1}: text lines`);
    const t = (h: string, mi: string, s: string, ms: string): number =>
      Number(h) * 3600 + Number(mi) * 60 + Number(s) + Number(ms) / 1000;
    cues.push({
      id: counter!,
      start: t(m![1]!, m![2]!, m![3]!, m![4]!),
      end: t(m![5]!, m![6]!, m![7]!, m![8]!),
      lines,
    });
  });
  // The same cues as WebVTT, through the W3C parser: order, end after start, timestamp syntax.
  const vttBlocks = blocks.map((b) => b.replace(/^(\d+\n[\d:]+),(\d{3} --> [\d:]+),(\d{3})/, '$1.$2.$3'));
  const asVtt = `WEBVTT\n\n${vttBlocks.join('\n\n')}\n`;
  const checked = parseVtt(asVtt);
  assert.equal(
    checked.map((c) => [c.start, c.end]),
    cues.map((c) => [c.start, c.end]),
  );
  return cues;
}

/** What makes subtitles readable, as the command promises: sorted, two lines of 42 at most, short cues. */
export function assertReadable(cues: readonly Cue[], o: { maxSeconds?: number } = {}): void {
  for (let i = 0; i < cues.length; i++) {
    const c = cues[i]!;
    assert.ok(c.end > c.start, `cue ${i + 1} ends after it starts`);
    if (i > 0) assert.ok(c.start >= cues[i - 1]!.start, `cue ${i + 1} starts no earlier than cue ${i}`);
    assert.ok(c.lines.length <= 2, `cue ${i + 1}: ${c.lines.length} lines`);
    for (const line of c.lines)
      assert.ok(
        line.length <= 42 || !/\s/.test(line.replace(/^(\[[^\]]*\] )+/, '')),
        `cue ${i + 1}: ${line.length} characters: ${line}`,
      );
    assert.ok(c.end - c.start <= (o.maxSeconds ?? 7) + 1e-9, `cue ${i + 1} lasts ${c.end - c.start} s`);
  }
}

/** The words of the cues in order, labels removed. */
export function cueText(cues: readonly Cue[]): string {
  return cues
    .map((c) => c.lines.join(' ').replace(/\[[^\]]*\] /g, ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}
