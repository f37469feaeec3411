import fs from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';

/** Where the browser tests leave their screenshots for a person to look at (git-ignored). */
export const SCREENS_DIR = path.resolve(__dirname, '..', '..', 'var', 'screens');

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * Debian's chromium (or CHROMIUM_PATH). puppeteer-core never downloads a browser; a missing one fails the run
 * with the command that installs it, never a skip.
 */
export function chromiumPath(): string {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit) {
    if (!fs.existsSync(explicit)) throw new Error(`CHROMIUM_PATH=${explicit} does not exist`);
    return explicit;
  }
  const found = CANDIDATES.find((file) => fs.existsSync(file));
  if (!found) {
    throw new Error(
      'The browser tests need chromium: `apt-get install -y chromium` (Debian; .ci/run does it), ' +
        'or set CHROMIUM_PATH to a Chrome or Chromium binary.',
    );
  }
  return found;
}

/** Headless chromium; --no-sandbox because CI runs as root, where chromium refuses its sandbox. */
export function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    defaultViewport: { width: 1280, height: 900 },
  });
}

/** Console errors and uncaught exceptions of a page, as a person would see them in the developer tools. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error')
      errors.push(`console: ${message.text()} (${message.location().url ?? ''})`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${(err as Error).message ?? String(err)}`));
  page.on('requestfailed', (req) => errors.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  return errors;
}

/** Saves a screenshot of the page (or of one element of it) under var/screens/ and returns its path. */
export async function saveScreen(page: Page, name: string, element?: ElementHandle): Promise<string> {
  fs.mkdirSync(SCREENS_DIR, { recursive: true });
  const file = path.join(SCREENS_DIR, `${name}.png`);
  if (element) await element.screenshot({ path: file });
  else await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Polls `check` until it returns true (reloading the page between tries) or the deadline passes. */
export async function untilPage(
  page: Page,
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await page.reload({ waitUntil: 'networkidle2' }).catch(() => {});
  }
}

/** The page's text as a person reads it (innerText: rendered, visible text only). */
export function visibleText(page: Page): Promise<string> {
  return page.$eval('body', (body) => (body as unknown as { innerText: string }).innerText);
}

/** Clicks an element from inside the page (for $eval): no scrolling, and no overlay in the way. */
export function clickIt(el: unknown): void {
  (el as { click(): void }).click();
}
