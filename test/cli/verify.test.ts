import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { signWebhook, WEBHOOK_SCHEMES } from 'bulwark';
import type { CustomWebhookScheme, WebhookSchemeName } from 'bulwark';
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

/** The header lines `bulwark sign` prints before its curl command, as --header arguments. */
function signedHeaderArgs(stdout: string): string[] {
  const head = stdout.split('\n\n')[0] ?? '';
  return head
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => ['--header', line]);
}

/** The URL the printed curl command posts to, as the shell reads it. */
function curlUrl(stdout: string): string {
  const curl = stdout.split('\n').find((line) => line.startsWith('curl ')) ?? '';
  return (
    spawnSync('sh', ['-c', `printf '%s\\n' ${curl.replace(/^curl /, '')}`], {
      encoding: 'utf8',
    }).stdout.split('\n')[2] ?? ''
  );
}

function discordKeys(): { seed: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    seed: privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32).toString('hex'),
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex'),
  };
}

const DISCORD = discordKeys();
const OTHER_DISCORD = discordKeys();
const TWILIO_URL = 'https://api.example.com/sms?x=1';

/** Per scheme: what `sign` is given, and what `verify` is given to accept it. */
const ROUND_TRIP: Record<
  WebhookSchemeName,
  { readonly sign: readonly string[]; readonly verify: readonly string[]; readonly key: string }
> = {
  'mission-control': {
    sign: ['--secret', 'mc-secret'],
    verify: ['--secret', 'mc-secret'],
    key: 'mc-secret',
  },
  github: { sign: ['--secret', 'gh-secret'], verify: ['--secret', 'gh-secret'], key: 'gh-secret' },
  'standard-webhooks': {
    sign: ['--secret', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    verify: ['--secret', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    key: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  },
  stripe: {
    sign: ['--secret', 'whsec_stripe'],
    verify: ['--secret', 'whsec_stripe'],
    key: 'whsec_stripe',
  },
  slack: {
    sign: ['--secret', 'slack-signing'],
    verify: ['--secret', 'slack-signing'],
    key: 'slack-signing',
  },
  discord: {
    sign: ['--secret', DISCORD.seed],
    verify: ['--public-key', DISCORD.publicKey],
    key: DISCORD.seed,
  },
  shopify: {
    sign: ['--secret', 'shpss_client'],
    verify: ['--secret', 'shpss_client'],
    key: 'shpss_client',
  },
  // The URL verify is given is the one sign posts to (with bodySHA256 for this JSON body).
  twilio: {
    sign: ['--secret', 'auth-token', '--url', TWILIO_URL],
    verify: ['--secret', 'auth-token'],
    key: 'auth-token',
  },
  gitlab: { sign: ['--secret', 'gl-token'], verify: ['--secret', 'gl-token'], key: 'gl-token' },
};

describe('bulwark sign | bulwark verify', () => {
  it('has key material for every scheme', () => {
    expect(Object.keys(ROUND_TRIP).sort()).toEqual([...WEBHOOK_SCHEMES].sort());
  });

  it.each(WEBHOOK_SCHEMES)('%s: what sign prints, verify accepts', (scheme) => {
    const { sign, verify, key } = ROUND_TRIP[scheme];
    const signed = runCli(['sign', '--scheme', scheme, ...sign], body);
    expect(signed.code, signed.stderr).toBe(0);
    const url = scheme === 'twilio' ? ['--url', curlUrl(signed.stdout)] : [];
    const args = [
      'verify',
      '--scheme',
      scheme,
      ...verify,
      ...url,
      ...signedHeaderArgs(signed.stdout),
    ];
    const ok = runCli(args, body);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('OK, the signature verifies');
    expect(ok.stdout).not.toContain(key);
    // A changed body (or, for GitLab, whose token does not cover the body, another secret)
    // is refused: the round trip is not accepting everything.
    const refused =
      scheme === 'gitlab'
        ? runCli(
            [
              'verify',
              '--scheme',
              scheme,
              '--secret',
              'other-token',
              ...signedHeaderArgs(signed.stdout),
            ],
            body,
          )
        : runCli(args, `${body} `);
    expect(refused.code, refused.stdout + refused.stderr).toBe(1);
    expect(refused.stdout).not.toContain(key);
  });

  it('lists every scheme in verify --help', () => {
    const help = runCli(['verify', '--help']).stdout.replace(/\s+/g, ' ');
    for (const scheme of WEBHOOK_SCHEMES) expect(help).toContain(scheme);
    expect(help).toContain('--public-key K');
  });
});

describe('bulwark verify --scheme-file', () => {
  const zoom: CustomWebhookScheme = {
    name: 'zoom',
    signatureHeader: 'X-Zm-Signature',
    signaturePrefix: 'v0=',
    signed: 'v0:{timestamp}:{body}',
    timestampHeader: 'X-Zm-Request-Timestamp',
    algorithm: 'sha512',
  };
  const file = join(mkdtempSync(join(tmpdir(), 'bulwark-cli-')), 'zoom.json');
  writeFileSync(file, JSON.stringify(zoom));

  it('verifies a custom scheme, and shows the expected value for the timestamp sent', () => {
    const signed = runCli(
      ['sign', '--scheme-file', file, '--secret', SECRET, '--timestamp', '1700000000'],
      body,
    );
    expect(signed.code, signed.stderr).toBe(0);
    const headers = signedHeaderArgs(signed.stdout);
    const args = ['verify', '--scheme-file', file, '--now', '1700000010', ...headers];
    const ok = runCli([...args, '--secret', SECRET], body);
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toContain('scheme:   zoom (custom, from --scheme-file)');

    const wrong = runCli([...args, '--secret', 'another-secret'], body);
    expect(wrong.code).toBe(1);
    // The expectation is computed for the timestamp the sender sent (read from the
    // scheme's own timestampHeader), so it names what that sender should have sent.
    const expected = signWebhook(body, 'another-secret', {
      scheme: zoom,
      timestamp: 1_700_000_000,
    });
    const digest = expected['X-Zm-Signature'] ?? '';
    expect(wrong.stdout).toContain(`X-Zm-Signature: ${digest.slice(0, 3 + 12)}…`);
    expect(wrong.stdout).not.toContain(digest.slice(3, 3 + 40));
    expect(wrong.stdout).toContain('X-Zm-Request-Timestamp: 1700000000');
    expect(wrong.stdout).not.toContain('another-secret');
  });

  it('exits 2 for an invalid description, and for --scheme with --scheme-file', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'bulwark-cli-')), 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...zoom, encoding: 'base32' }));
    const r = runCli(['verify', '--scheme-file', bad, '--secret', SECRET], body);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'bulwark verify: webhook scheme encoding: "base32" is not supported; write one of hex, base64.',
    );
    const both = runCli(
      ['verify', '--scheme', 'slack', '--scheme-file', file, '--secret', SECRET],
      body,
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--scheme and --scheme-file together');
  });
});

describe('bulwark verify --scheme discord', () => {
  const payload = '{"type":1}';

  function signed(timestamp?: number): string[] {
    const r = runCli(
      [
        'sign',
        '--scheme',
        'discord',
        '--secret',
        DISCORD.seed,
        ...(timestamp === undefined ? [] : ['--timestamp', String(timestamp)]),
      ],
      payload,
    );
    return signedHeaderArgs(r.stdout);
  }

  it('refuses --secret, telling to use --public-key', () => {
    const r = runCli(['verify', '--scheme', 'discord', '--secret', DISCORD.publicKey], payload);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('write --public-key');
    const none = runCli(['verify', '--scheme', 'discord'], payload);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--public-key HEX or --public-key-env NAME');
  });

  it('refuses --public-key for a scheme verified with a secret', () => {
    const r = runCli(['verify', '--scheme', 'github', '--public-key', DISCORD.publicKey], payload);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--public-key is for --scheme discord');
  });

  it('reads the public key from the environment and tries each key given', () => {
    const r = runCli(
      [
        'verify',
        '--scheme',
        'discord',
        '--public-key',
        OTHER_DISCORD.publicKey,
        '--public-key-env',
        'DISCORD_PUBLIC_KEY',
        ...signed(),
      ],
      payload,
      { DISCORD_PUBLIC_KEY: DISCORD.publicKey },
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('names the public keys tried instead of an expected signature, with a 401', () => {
    const r = runCli(
      ['verify', '--scheme', 'discord', '--public-key', OTHER_DISCORD.publicKey, ...signed()],
      payload,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('401 {"detail":"Invalid webhook signature."}');
    expect(r.stdout).toContain(
      `tried:    the Ed25519 public key(s) ${OTHER_DISCORD.publicKey.slice(0, 8)}…`,
    );
    expect(r.stdout).not.toContain('the sender should have sent');
    expect(r.stdout).not.toContain(OTHER_DISCORD.publicKey);
  });

  it('reads the timestamp from X-Signature-Timestamp: a stale capture verifies as of --now', () => {
    const headers = signed(1_700_000_000);
    const stale = runCli(
      ['verify', '--scheme', 'discord', '--public-key', DISCORD.publicKey, ...headers],
      payload,
    );
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('the signature itself is valid');
    const then = runCli(
      [
        'verify',
        '--scheme',
        'discord',
        '--public-key',
        DISCORD.publicKey,
        '--now',
        '1700000060',
        ...headers,
      ],
      payload,
    );
    expect(then.code).toBe(0);
  });
});

describe('bulwark verify --scheme twilio', () => {
  const token = 'twilio-auth-token';
  const form = 'To=%2B15550001111&From=%2B15552223333&Body=hello+there';
  const url = 'https://api.example.com/sms';

  function signForm(): string[] {
    const r = runCli(
      [
        'sign',
        '--scheme',
        'twilio',
        '--secret',
        token,
        '--url',
        url,
        '--content-type',
        'application/x-www-form-urlencoded',
      ],
      form,
    );
    return signedHeaderArgs(r.stdout);
  }

  it('needs --url, the full URL Twilio requested', () => {
    const missing = runCli(
      ['verify', '--scheme', 'twilio', '--secret', token, ...signForm()],
      form,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      "twilio signs the full public URL it requested: write --url 'https://",
    );
    const relative = runCli(
      ['verify', '--scheme', 'twilio', '--secret', token, '--url', '/sms', ...signForm()],
      form,
    );
    expect(relative.code).toBe(2);
    expect(relative.stderr).toContain('write the full URL Twilio requested');
    const notTwilio = runCli(['verify', '--secret', token, '--url', url], form);
    expect(notTwilio.code).toBe(2);
    expect(notTwilio.stderr).toContain('does not sign the URL (only twilio does)');
  });

  it('verifies a form against --url, and refuses another URL or other parameters', () => {
    const headers = signForm();
    const base = ['verify', '--scheme', 'twilio', '--secret', token, ...headers];
    expect(runCli([...base, '--url', url], form).code).toBe(0);
    // Twilio may sign the URL with the default port: both forms verify.
    expect(runCli([...base, '--url', 'https://api.example.com:443/sms'], form).code).toBe(0);
    const otherUrl = runCli([...base, '--url', `${url}?x=1`], form);
    expect(otherUrl.code).toBe(1);
    expect(otherUrl.stdout).toContain('check --url against the webhook URL configured at Twilio');
    expect(runCli([...base, '--url', url], form.replace('hello', 'hallo')).code).toBe(1);
  });

  it('says a form needs its Content-Type header', () => {
    const headers = signForm();
    const at = headers.indexOf('Content-Type: application/x-www-form-urlencoded');
    expect(at).toBeGreaterThan(0);
    headers.splice(at - 1, 2);
    const r = runCli(
      ['verify', '--scheme', 'twilio', '--secret', token, '--url', url, ...headers],
      form,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("add --header 'Content-Type: application/x-www-form-urlencoded'");
  });

  it('verifies a JSON body bound by bodySHA256, and names the URL when --url lacks it', () => {
    const json = '{"event":"message.added"}';
    const r = runCli(['sign', '--scheme', 'twilio', '--secret', token, '--url', url], json);
    const headers = signedHeaderArgs(r.stdout);
    const hashed = `${url}?bodySHA256=${createHash('sha256').update(json).digest('hex')}`;
    expect(curlUrl(r.stdout)).toBe(hashed);
    const base = ['verify', '--scheme', 'twilio', '--secret', token, ...headers];
    expect(runCli([...base, '--url', hashed], json).code).toBe(0);
    // The hash in the URL binds the body: another body is refused.
    expect(runCli([...base, '--url', hashed], `${json} `).code).toBe(1);
    const bare = runCli([...base, '--url', url], json);
    expect(bare.code).toBe(1);
    expect(bare.stdout).toContain(`a sender would have posted this body to ${hashed}`);
  });

  it('shows the expected signature shortened, and reads the id from I-Twilio-Idempotency-Token', () => {
    const headers = [
      '--header',
      'Content-Type: application/x-www-form-urlencoded',
      '--header',
      'X-Twilio-Signature: AAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      '--header',
      'I-Twilio-Idempotency-Token: idem-42',
    ];
    const r = runCli(
      ['verify', '--scheme', 'twilio', '--secret', token, '--url', url, ...headers],
      form,
    );
    expect(r.code).toBe(1);
    const expected = signWebhook(form, token, { scheme: 'twilio', url, deliveryId: 'idem-42' });
    const signature = expected['X-Twilio-Signature'] ?? '';
    expect(r.stdout).toContain(`X-Twilio-Signature: ${signature.slice(0, 12)}…`);
    expect(r.stdout).not.toContain(signature);
    expect(r.stdout).toContain('I-Twilio-Idempotency-Token: idem-42');
  });
});

describe('bulwark verify --scheme gitlab', () => {
  const token = 'gitlab-secret-token';

  it('never prints the token: says it does not match instead', () => {
    const near = `${token}-old`;
    const r = runCli(
      [
        'verify',
        '--scheme',
        'gitlab',
        '--secret',
        token,
        '--header',
        `X-Gitlab-Token: ${near}`,
        '--header',
        'X-Gitlab-Event-UUID: 9f2e',
      ],
      body,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the token does not match');
    expect(r.stdout).not.toContain(token);
    expect(r.stdout).not.toContain('the sender should have sent');
    const ok = runCli(
      ['verify', '--scheme', 'gitlab', '--secret', token, '--header', `X-Gitlab-Token: ${token}`],
      body,
    );
    expect(ok.code).toBe(0);
    expect(ok.stdout).not.toContain(token);
  });
});

describe('bulwark verify --scheme shopify', () => {
  it('shows the expected value with the X-Shopify-Webhook-Id sent', () => {
    const r = runCli(
      [
        'verify',
        '--scheme',
        'shopify',
        '--secret',
        SECRET,
        '--header',
        `X-Shopify-Hmac-Sha256: ${'A'.repeat(43)}=`,
        '--header',
        'X-Shopify-Webhook-Id: b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      ],
      body,
    );
    expect(r.code).toBe(1);
    const expected =
      signWebhook(body, SECRET, { scheme: 'shopify' })['X-Shopify-Hmac-Sha256'] ?? '';
    expect(r.stdout).toContain(`X-Shopify-Hmac-Sha256: ${expected.slice(0, 12)}…`);
    expect(r.stdout).toContain('X-Shopify-Webhook-Id: b54557e4-bdd9-4b37-8a5f-bf7d70bcd043');
  });
});
