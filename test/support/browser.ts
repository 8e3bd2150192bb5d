/** Debian Chromium through playwright-core, as the browser tests drive it (software WebGL: NOTES.md). */
import { chromium, type Browser, type Page } from 'playwright-core';
import type {} from '../../client/src/test-hooks.ts';
import { TEST_PASSWORD } from './paths.ts';

export const VIEWPORT = { width: 1920, height: 1080 };
export const CHROMIUM_ARGS = [
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** Software WebGL draws a few frames a second at best (NOTES.md): wait generously. */
export const LOAD_TIMEOUT_MS = 180_000;
export const STEP_TIMEOUT_MS = 60_000;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** Signs `username` in through the page's sign-in screen (the test accounts' password). */
export async function signInOnPage(page: Page, username: string): Promise<void> {
  await page.getByTestId('sign-in-username').fill(username);
  await page.getByTestId('sign-in-password').fill(TEST_PASSWORD);
  await page.getByTestId('sign-in-submit').click();
}

/** Waits until the wall's map has loaded. */
export const waitForMap = (page: Page) =>
  page.waitForFunction(() => window.__gridwatch?.mapLoaded, null, { timeout: LOAD_TIMEOUT_MS, polling: 250 });

/**
 * A page of the wall at `path` (`/?view=ledger`, say) in a zh-CN context on Beijing time, signed in as
 * `username` through the form; resolves once the element `ready` (a test id) shows and the map has
 * loaded. The page's uncaught errors are pushed to `errors`.
 */
export async function openSignedIn(
  browser: Browser,
  serverUrl: string,
  options: { path: string; username: string; ready: string; errors: string[]; acceptDownloads?: boolean },
): Promise<Page> {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: options.acceptDownloads ?? false,
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => options.errors.push(error.message));
  await page.goto(new URL(options.path, serverUrl).href);
  await signInOnPage(page, options.username);
  await page.getByTestId(options.ready).waitFor({ timeout: LOAD_TIMEOUT_MS });
  await waitForMap(page);
  return page;
}
