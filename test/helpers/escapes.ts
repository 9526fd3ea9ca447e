import { afterAll, beforeAll } from 'vitest';

/**
 * Collects every unhandled rejection and uncaught exception while the calling test file runs,
 * so an attack or a fault that escapes bulwark's handling fails the file instead of passing
 * unnoticed. Call at module level; check the returned list in a test or an afterAll.
 */
export function trackEscapes(): unknown[] {
  const escaped: unknown[] = [];
  const onEscape = (error: unknown): void => {
    escaped.push(error);
  };
  beforeAll(() => {
    process.on('unhandledRejection', onEscape);
    process.on('uncaughtException', onEscape);
  });
  afterAll(() => {
    process.off('unhandledRejection', onEscape);
    process.off('uncaughtException', onEscape);
  });
  return escaped;
}
