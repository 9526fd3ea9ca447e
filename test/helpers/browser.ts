import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inject } from 'vitest';

/**
 * Debian's Chromium (`apt-get install chromium`; .ci/run installs it). playwright-core drives
 * it as it is and downloads no browser of its own.
 */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless, as root (hence no sandbox), no GPU. Without the background-networking, update and
 * sync switches Chromium keeps calling home, and on a machine without a network those
 * attempts end with its own connections refused; QUIC is off so every request is plain
 * HTTP/1.1 to the test servers.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** True when Debian's Chromium is installed. */
export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

/**
 * True when the browser tests cannot run here: no Chromium outside CI. Never true in CI,
 * where the global setup (test/setup/browser-global.ts) fails the run instead. Call it in a
 * test file, not in the global setup.
 */
export function noChromium(): boolean {
  return !inject('chromium');
}

/**
 * Starts Chromium. playwright-core gives it a fresh temporary profile (user data dir) and
 * deletes it on close; give each test its own context with {@link openPage}.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS],
    timeout: 30_000,
  });
}

/** A page in a new browser context (its own cookies, cache and preflight cache) at `url`. */
export async function openPage(
  browser: Browser,
  url: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  return { context, page };
}
