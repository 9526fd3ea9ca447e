import type { TestProject } from 'vitest/node';
import { CHROMIUM, hasChromium } from '../helpers/browser.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** True when Chromium is installed, so the browser tests run (always, in CI). */
    chromium: boolean;
  }
}

/**
 * The browser tests (test/browser/) drive Debian's Chromium. Without it they are skipped
 * with a warning locally; with CI=true a missing Chromium fails the run, so they are never
 * skipped silently where it matters.
 */
export default function setup(project: TestProject): void {
  if (hasChromium()) {
    project.provide('chromium', true);
    return;
  }
  if (process.env.CI === 'true') {
    throw new Error(
      `${CHROMIUM} is missing; CI must run the browser tests (apt-get install --no-install-recommends chromium).`,
    );
  }
  console.warn(
    `[bulwark tests] ${CHROMIUM} not found: browser tests will be skipped (apt-get install chromium).`,
  );
  project.provide('chromium', false);
}
