import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import YAML from 'yaml';
import {
  clickIt,
  collectPageErrors,
  launchChromium,
  saveScreen,
  untilPage,
  visibleText,
} from '../helpers/browser';
import { startDevProcess, type DevProcess } from '../helpers/dev-process';

/**
 * What a newcomer sees after `npm run dev`, in a real browser (Debian's chromium, headless): Swagger UI lists
 * the whole contract and answers a call made with a real token, and the Temporal Web UI of the dev server shows
 * the schedules and a welcome run it can read (payloads decoded through the API's codec endpoint).
 * Screens land in var/screens/.
 */

const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

function contractOperations(): string[] {
  const doc = YAML.parse(fs.readFileSync(path.resolve(__dirname, '../../openapi.yaml'), 'utf8')) as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.entries(doc.paths)
    .flatMap(([route, item]) =>
      Object.keys(item)
        .filter((k) => HTTP_METHODS.includes(k))
        .map((m) => `${m.toUpperCase()} ${route}`),
    )
    .sort();
}

/** Every operation Swagger UI rendered, as "METHOD /path" (an operation under two tags counts once). */
function renderedOperations(page: Page): Promise<string[]> {
  return page.$$eval('.opblock', (blocks) => {
    const ops = blocks.map((block) => {
      const method = block.querySelector('.opblock-summary-method')?.textContent?.trim() ?? '?';
      const route = block.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '?';
      return `${method.toUpperCase()} ${route}`;
    });
    return [...new Set(ops)].sort();
  });
}

async function registerAndLogIn(apiUrl: string): Promise<{ userId: number; accessToken: string }> {
  const email = `newcomer-${Date.now()}@example.com`;
  const password = 'correct horse battery';
  const registered = await fetch(`${apiUrl}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'newcomer', email, password }),
  });
  expect(registered.status).toBe(201);
  const { user } = (await registered.json()) as { user: { id: number } };
  const login = await fetch(`${apiUrl}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(login.status).toBe(200);
  const { access_token: accessToken } = (await login.json()) as { access_token: string };
  return { userId: user.id, accessToken };
}

let dev: DevProcess;
let browser: Browser;
let account: { userId: number; accessToken: string };

beforeAll(async () => {
  browser = await launchChromium();
  dev = await startDevProcess();
  account = await registerAndLogIn(dev.apiUrl);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await dev?.stop();
}, 60_000);

describe('Swagger UI', () => {
  it('loads without console errors and lists every operation of openapi.yaml', async () => {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${dev.apiUrl}/swagger-ui/`, { waitUntil: 'networkidle0' });
    const expected = contractOperations();
    await page.waitForFunction(`document.querySelectorAll('.opblock').length >= ${expected.length}`);
    await saveScreen(page, 'swagger-ui');

    expect(await renderedOperations(page)).toEqual(expected);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('with Authorize given a real access token, Try it out on GET /users/me answers 200', async () => {
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${dev.apiUrl}/swagger-ui/`, { waitUntil: 'networkidle0' });
    await page.waitForSelector('.btn.authorize');

    await page.click('.btn.authorize');
    await page.waitForSelector('.modal-ux input');
    await page.type('.modal-ux input', account.accessToken);
    await page.click('.modal-ux .auth-btn-wrapper .authorize');
    await page.waitForSelector('.modal-ux .auth-btn-wrapper .btn-done, .modal-ux .auth-btn-wrapper .logout');
    await page.click('.modal-ux .close-modal');

    const block = await page.waitForSelector(
      '.opblock-get:has(.opblock-summary-path[data-path="/users/me"])',
    );
    await block!.$eval('.opblock-summary-control', clickIt);
    await block!.waitForSelector('.try-out__btn');
    await block!.$eval('.try-out__btn', clickIt);
    await block!.waitForSelector('.execute');
    await block!.$eval('.execute', clickIt);
    const status = await block!.waitForSelector('.live-responses-table tbody .response-col_status');
    await saveScreen(page, 'swagger-ui-users-me', block!);

    expect(await status!.evaluate((el) => el.textContent?.trim())).toBe('200');
    const body = await block!.$eval(
      '.live-responses-table tbody .response-col_description pre',
      (el) => el.textContent,
    );
    expect(JSON.parse(body ?? '{}')).toMatchObject({ id: account.userId, username: 'newcomer' });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});

describe('the Temporal Web UI of the dev server', () => {
  it('lists the reminder-check and monthly-report schedules', async () => {
    const page = await browser.newPage();
    await page.goto(`${dev.uiUrl}/namespaces/default/schedules`, { waitUntil: 'networkidle2' });
    const text = () => visibleText(page);
    await untilPage(page, 'both schedules', async () => {
      const shown = await text();
      return shown.includes('reminder-check') && shown.includes('monthly-report');
    });
    await saveScreen(page, 'temporal-schedules');
    await page.close();
  }, 90_000);

  it('lists the welcome run as completed and shows its result decoded through the codec endpoint', async () => {
    const page = await browser.newPage();
    const workflowId = `welcome-${account.userId}`;
    await page.goto(`${dev.uiUrl}/namespaces/default/workflows`, { waitUntil: 'networkidle2' });
    await untilPage(page, `${workflowId} completed in the list`, () =>
      page.$$eval(
        'tr, [role="row"]',
        (rows, id) =>
          rows.some((row) => {
            const shown = (row as unknown as { innerText: string }).innerText;
            return shown.includes(id) && /Completed/.test(shown);
          }),
        workflowId,
      ),
    );
    await saveScreen(page, 'temporal-workflows');

    await page.goto(`${dev.uiUrl}/namespaces/default/workflows/${workflowId}`, { waitUntil: 'networkidle2' });
    // The result is ciphertext in the history; the UI shows it only after the codec endpoint decoded it.
    await untilPage(page, 'the decoded welcome result', async () =>
      /"outcome":\s*"sent"/.test(await visibleText(page)),
    );
    await saveScreen(page, 'temporal-welcome-run');
    expect(await visibleText(page)).not.toContain('binary/encrypted');
    await page.close();
  }, 120_000);
});
