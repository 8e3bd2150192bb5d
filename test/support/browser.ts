/** Debian Chromium through playwright-core, as the browser tests drive it (software WebGL: NOTES.md). */
import { chromium, type Browser } from 'playwright-core';

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
