import { randomBytes, randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();

/** URL-safe random text, `bytes` of entropy. */
export const randomToken = (bytes: number): string => randomBytes(bytes).toString('base64url');
