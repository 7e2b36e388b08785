// A Chromium-family browser already on this machine, driven by playwright-core, with a fake
// microphone playing a WAV: for the browser matrix row (browser.test.ts) and the web demo's test.
// Tests never install a browser; without one they skip with the reason.
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';

/** PLAYWRIGHT_CHROMIUM_EXECUTABLE, then the usual install paths, then Playwright's own cache. */
function findChromium(playwrightPath: string | undefined): { path: string } | { skip: string } {
  const fromEnv = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE;
  if (fromEnv)
    return existsSync(fromEnv)
      ? { path: fromEnv }
      : { skip: `PLAYWRIGHT_CHROMIUM_EXECUTABLE=${fromEnv} does not exist` };
  const known = [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    ...(playwrightPath ? [playwrightPath] : []),
  ];
  const found = known.find((p) => existsSync(p));
  return found
    ? { path: found }
    : { skip: 'no Chromium or Chrome found; set PLAYWRIGHT_CHROMIUM_EXECUTABLE to run it' };
}

/**
 * A launcher for a headless Chromium whose microphone plays `wavPath` (looped unless `loop` is
 * false), or why there is none.
 */
export async function chromiumWithFakeMic(): Promise<
  { launch(wavPath: string, o?: { loop?: boolean }): Promise<Browser> } | { skip: string } | { fail: string }
> {
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (err) {
    return { fail: `playwright-core cannot be loaded (${(err as Error).message}); run npm ci` };
  }
  let playwrightPath: string | undefined;
  try {
    playwrightPath = chromium.executablePath();
  } catch {
    playwrightPath = undefined;
  }
  const found = findChromium(playwrightPath);
  if ('skip' in found) return found;
  return {
    launch: (wavPath, o = {}) =>
      chromium.launch({
        executablePath: found.path,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--use-fake-ui-for-media-stream',
          '--use-fake-device-for-media-stream',
          `--use-file-for-fake-audio-capture=${wavPath}${o.loop === false ? '%noloop' : ''}`,
          '--autoplay-policy=no-user-gesture-required',
        ],
      }),
  };
}
