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
