import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from 'bulwark';
import { ensureBuiltCli, runCli } from '../helpers/cli.js';

beforeAll(() => {
  ensureBuiltCli();
}, 180_000);

const SECRET = 'very-secret-value';
const body = '{"event":"ping"}';

function headerArgs(headers: Record<string, string>): string[] {
  return Object.entries(headers).flatMap(([n, v]) => ['--header', `${n}: ${v}`]);
}

describe('bulwark verify', () => {
  it('exits 0 for a good delivery', () => {
    const r = runCli(
      ['verify', '--secret', SECRET, ...headerArgs(signWebhook(body, SECRET))],
      body,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('OK, the signature verifies');
  });

  it('explains a wrong signature: header read, scheme, expectation; never the secret', () => {
    const r = runCli(
      ['verify', '--secret', SECRET, '--header', `X-Hub-Signature-256: sha256=${'ab'.repeat(32)}`],
      body,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('scheme:   mission-control');
    expect(r.stdout).toContain('x-hub-signature-256: sha256=abababababab…');
    expect(r.stdout).toContain('403 {"detail":"Invalid webhook signature."}');
    expect(r.stdout).toContain('expected: X-Hub-Signature-256 or X-Webhook-Signature: sha256=');
    expect(r.stdout).not.toContain(SECRET);
    // The expected digest is shortened: enough to compare, not a usable signature.
    const full = signWebhook(body, SECRET)['X-Webhook-Signature'] ?? '';
    expect(r.stdout).not.toContain(full);
    expect(r.stdout).toContain(full.slice(0, 19));
  });

  it('says when the signature header is missing and another scheme seems meant', () => {
    const stripe = signWebhook(body, SECRET, { scheme: 'stripe' });
    const r = runCli(['verify', '--secret', SECRET, ...headerArgs(stripe)], body);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('403 {"detail":"Missing webhook signature header."}');
    expect(r.stdout).toContain('is this --scheme stripe?');
  });

  it('spots a trailing newline added to the body file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-cli-'));
    const file = join(dir, 'body.json');
    writeFileSync(file, `${body}\n`);
    const r = runCli([
      'verify',
      '--secret',
      SECRET,
      '--file',
      file,
      ...headerArgs(signWebhook(body, SECRET)),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('WITHOUT its trailing newline');
  });

  it('tells a stale timestamp from a wrong signature, and checks as of --now', () => {
    const headers = signWebhook(body, SECRET, { scheme: 'slack', timestamp: 1_700_000_000 });
    const stale = runCli(
      ['verify', '--secret', SECRET, '--scheme', 'slack', ...headerArgs(headers)],
      body,
    );
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('the signature itself is valid');
    const then = runCli(
      [
        'verify',
        '--secret',
        SECRET,
        '--scheme',
        'slack',
        '--now',
        '1700000100',
        ...headerArgs(headers),
      ],
      body,
    );
    expect(then.code).toBe(0);
  });

  it('reads headers from a raw request dump', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-cli-'));
    const dump = join(dir, 'request.txt');
    const h = signWebhook(body, 'whsec_aGVsbG8=', { scheme: 'standard-webhooks' });
    writeFileSync(
      dump,
      [
        'POST /hooks HTTP/1.1',
        'Host: example',
        ...Object.entries(h).map(([n, v]) => `${n}: ${v}`),
        '',
      ].join('\r\n'),
    );
    const r = runCli(
      ['verify', '--secret-env', 'S', '--scheme', 'standard-webhooks', '--headers-file', dump],
      body,
      {
        S: 'whsec_aGVsbG8=',
      },
    );
    expect(r.code).toBe(0);
  });

  it('reports a repeated header', () => {
    const sig = signWebhook(body, SECRET)['X-Webhook-Signature'] ?? '';
    const r = runCli(
      [
        'verify',
        '--secret',
        SECRET,
        '--header',
        `X-Webhook-Signature: ${sig}`,
        '--header',
        `X-Webhook-Signature: ${sig}`,
      ],
      body,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('sent 2 times');
  });

  it('exits 2 on usage mistakes and 3 on an unreadable headers file', () => {
    expect(runCli(['verify'], body).code).toBe(2);
    expect(runCli(['verify', '--secret', 'k', '--header', 'no colon'], body).code).toBe(2);
    expect(runCli(['verify', '--secret', 'k', '--now', 'soon'], body).code).toBe(2);
    expect(runCli(['verify', '--secret', 'k', '--headers-file', '/nonexistent'], body).code).toBe(
      3,
    );
    const help = runCli(['verify', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      'exit codes: 0 the delivery verifies, 1 it does not, 2 usage error',
    );
  });
});
