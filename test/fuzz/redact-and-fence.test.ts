import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BEGIN_MARKER,
  END_MARKER,
  isMarkerLike,
  redact,
  redactText,
  sanitizeField,
  wrapExternalData,
} from 'bulwark';
import { base62Token } from '../fixtures/tokens.js';
import { fuzz, hostileString } from './settings.js';

/** Credentials in the formats redactText knows, with a random body. */
const credential = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9]{30}$/).map((s) => base62Token('ghp_', s)),
  fc.stringMatching(/^[A-Za-z0-9]{24}$/).map((s) => `sk_live_${s}`),
  fc.stringMatching(/^[A-Za-z0-9]{32}$/).map((s) => `whsec_${s}`),
  fc.stringMatching(/^[A-Za-z0-9]{24}$/).map((s) => `xoxb-${s}`),
);
/** Text around a credential that keeps it a separate word. */
const prose = fc.string({ maxLength: 40 }).map((s) => s.replace(/[A-Za-z0-9_-]+$/, ''));

describe('redactText', () => {
  it('never throws and is idempotent on any text', () => {
    fc.assert(
      fc.property(
        fc.oneof(hostileString, fc.string({ unit: 'binary', maxLength: 200 })),
        (text) => {
          const once = redactText(text);
          expect(redactText(once)).toBe(once);
        },
      ),
      fuzz,
    );
  });

  it('removes a credential wherever it stands in text', () => {
    fc.assert(
      fc.property(prose, credential, fc.string({ maxLength: 40 }), (before, secret, after) => {
        const out = redactText(`${before} ${secret} ${after}`);
        expect(out).not.toContain(secret);
      }),
      fuzz,
    );
  });
});

describe('redact', () => {
  it('never throws on any value and gives JSON-safe output for JSON input', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withMap: true, withSet: true }),
        (value) => {
          redact(value);
        },
      ),
      fuzz,
    );
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(redact(value));
        // A JSON value stays JSON: the copy serializes and parses back to itself.
        expect(JSON.stringify(JSON.parse(text))).toBe(text);
      }),
      fuzz,
    );
  });

  it('a token or secret field never survives, at any depth', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.constantFrom('token', 'secret'),
        fc.uuid(),
        (value, name, id) => {
          const out = JSON.stringify(redact({ wrapper: [{ [name]: id, value }] }));
          expect(out).not.toContain(id);
        },
      ),
      fuzz,
    );
  });
});

describe('wrapExternalData and sanitizeField', () => {
  it('any value is fenced: one BEGIN line first, one END line last, no marker-like line between', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, fc.anything()), (data) => {
        const lines = wrapExternalData(data).split('\n');
        expect(lines[0]).toBe(BEGIN_MARKER);
        expect(lines.at(-1)).toBe(END_MARKER);
        for (const line of lines.slice(1, -1)) expect(isMarkerLike(line)).toBe(false);
      }),
      fuzz,
    );
  });

  it('sanitizeField gives one line without controls, within the cap, and is idempotent', () => {
    fc.assert(
      fc.property(
        fc.oneof(hostileString, fc.string({ unit: 'binary' })),
        fc.integer({ min: 1, max: 300 }),
        (text, max) => {
          const line = sanitizeField(text, { maxLength: max });
          // eslint-disable-next-line no-control-regex -- the property is about control characters
          expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/);
          expect(line.length).toBeLessThanOrEqual(max);
          expect(line).toBe(line.trim());
          if (line.length < max) expect(sanitizeField(line, { maxLength: max })).toBe(line);
        },
      ),
      fuzz,
    );
  });
});
