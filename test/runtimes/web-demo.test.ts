// The web demo (`npm run demo:web`) in headless Chromium: its server (the emulator, presignedUrlHandler
// and the page bundled with esbuild) started in-process, the browser's fake microphone playing
// speech-like bursts the emulator recognises (looped). The test clicks Start, sees the level meter
// move, an interim line and finals; drops the stream (an emulator fault) and sees the page say it
// is reconnecting, then reconnected, and a final after that; then Stop.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startWebDemo } from '../../dist/cli/web-demo/server.js';
import { speechLikePcm } from '../../dist/emulator/index.js';
import { note, skip } from './harness.ts';
import { wavFile } from './wav.ts';
import { chromiumWithFakeMic } from './chromium.ts';

const RATE = 48000;
/** About 2 s per round: an utterance, then enough silence for the emulator to end it. */
const BURSTS = [{ silenceMs: 300 }, { speechMs: 900 }, { silenceMs: 900 }] as const;

const browser = await chromiumWithFakeMic();
if ('skip' in browser) skip(`web demo: ${browser.skip}`);
else if ('fail' in browser) {
  const reason = browser.fail;
  test('web demo: playwright-core loads', () => assert.unreachable(reason));
} else {
  const { launch } = browser;
  test('web demo: microphone -> interims, finals, level meter; a dropped stream reconnects, new URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ts-web-demo-'));
    const wavPath = join(dir, 'bursts.wav');
    writeFileSync(wavPath, wavFile(speechLikePcm(BURSTS, { sampleRate: RATE }), RATE, 1));
    const demo = await startWebDemo({ emulator: { script: ['one two three', 'four five six', 'seven eight nine'] } });
    const b = await launch(wavPath);
    const pageErrors: string[] = [];
    try {
      // The page's own bundle: the URL-only service, no signing code in it.
      const js = Buffer.from(demo.page.js).toString('utf8');
      assert.not.ok(js.includes('AWS4-HMAC-SHA256'), 'no SigV4 in the page');
      assert.ok(js.includes('/transcribe-url'), 'the page asks the server for URLs');

      const page = await b.newPage({ viewport: { width: 900, height: 700 } });
      page.on('pageerror', (err) => pageErrors.push(err.message));
      await page.goto(demo.url);
      assert.is(await page.locator('#status').textContent(), 'idle');
      // The meter's loudest moment (it follows the bursts down to silence and up again).
      await page.evaluate(() => {
        const meter = document.getElementById('level')!;
        const w = window as unknown as { peakLevel: number };
        w.peakLevel = 0;
        new MutationObserver(() => (w.peakLevel = Math.max(w.peakLevel, parseFloat(meter.style.width) || 0))).observe(
          meter,
          { attributes: true, attributeFilter: ['style'] },
        );
      });
      await page.click('#start');
      await page.waitForSelector('body[data-state="listening"]', { timeout: 15_000 });

      const interim = await page.waitForFunction(
        () => document.getElementById('interim')?.textContent || undefined,
        undefined,
        { timeout: 15_000, polling: 20 },
      );
      const firstInterim = String(await interim.jsonValue());
      await page.waitForFunction(() => document.querySelectorAll('#finals li').length >= 1, undefined, {
        timeout: 15_000,
      });
      const level = await page.evaluate(() => (window as unknown as { peakLevel: number }).peakLevel);
      const finalsBefore = await page.locator('#finals li').allTextContents();
      assert.equal(finalsBefore.slice(0, 1), ['one two three']);
      assert.ok(
        'one two three'.startsWith(firstInterim.toLowerCase()),
        `interim "${firstInterim}" is the start of the first final`,
      );

      // Watch the status from inside the page: "reconnecting" may show only for a moment.
      await page.evaluate(() => {
        const seen: string[] = [];
        (window as unknown as { seenStates: string[] }).seenStates = seen;
        new MutationObserver(() => seen.push(document.body.dataset.state ?? '')).observe(document.body, {
          attributes: true,
          attributeFilter: ['data-state'],
        });
      });
      const signedBefore = demo.urlsSigned;
      demo.emulator.fault({ type: 'drop' });
      await page.waitForFunction(
        () => /reconnected 1×/.test(document.getElementById('status')?.textContent ?? ''),
        undefined,
        { timeout: 15_000 },
      );
      const states = await page.evaluate(() => (window as unknown as { seenStates: string[] }).seenStates);
      assert.ok(states.includes('reconnecting'), `the page said it was reconnecting: ${states.join(' -> ')}`);
      assert.is(states[states.length - 1], 'listening');
      assert.is(demo.urlsSigned, signedBefore + 1, 'the reconnect asked the server for a new URL');
      const events = (await page.locator('#events li').allTextContents()).join('\n');
      assert.match(events, /disconnected \(code 1006\), reconnecting/);
      assert.match(events, /connected: stream 2/);

      // A final after the reconnect (the new stream's script starts over).
      const count = await page.locator('#finals li').count();
      await page.waitForFunction((n) => document.querySelectorAll('#finals li').length > n, count, { timeout: 15_000 });
      const after = await page.locator('#finals li').nth(count).textContent();
      assert.ok(['one two three', 'four five six', 'seven eight nine'].includes(String(after)), String(after));

      await page.click('#stop');
      await page.waitForSelector('body[data-state="stopped"]', { timeout: 10_000 });
      assert.is(await page.locator('#status').textContent(), 'stopped');
      assert.equal(pageErrors, []);
      const sessions = demo.emulator.sessions;
      assert.is(sessions.length, 2, 'the dropped stream and its replacement');
      assert.is(sessions[0]!.closeCode, 1006);
      assert.is(sessions[1]!.closeCode, 1000, 'stop() ended the second stream cleanly');
      assert.ok(sessions.every((s) => s.query['sample-rate'] === '16000' && s.query['language-code'] === 'en-US'));
      // The bursts peak at about -12 dBFS: 80 % of the meter's -60..0 dB.
      assert.ok(level > 50, `the level meter showed the bursts (peak ${level}%)`);
      const shot = join(tmpdir(), 'transcribe-stream-web-demo.png');
      await page.screenshot({ path: shot });
      note(
        `web demo: page ${(demo.page.gzip / 1000).toFixed(1)} KB gzip, first interim "${firstInterim}", states ` +
          `${states.join(' -> ')}; screenshot ${shot}`,
      );
    } finally {
      await b.close();
      await demo.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test.run();
