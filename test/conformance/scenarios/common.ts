/** The security headers every scenario's answers carry (Mission Control's set), checked by name. */
export const MC = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
} as const;

/** The content type of every `{"detail": ...}` answer. */
export const JSON_TYPE = 'application/json; charset=utf-8';

/** A route answer: 200 `{"ok": true}`. */
export const ok = { kind: 'json', body: { ok: true } } as const;
