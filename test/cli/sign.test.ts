import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyKey } from 'discord-interactions';
import twilio from 'twilio';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWebhookVerifier, WEBHOOK_SCHEMES } from 'bulwark';
import type { CustomWebhookScheme, WebhookSchemeName, WebhookVerifierOptions } from 'bulwark';
import { ensureBuiltCli, runCli } from '../helpers/cli.js';

beforeAll(() => {
  ensureBuiltCli();
}, 180_000);

function headersFrom(stdout: string): Record<string, string> {
  const head = stdout.split('\n\n')[0] ?? '';
  return Object.fromEntries(
    head
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const i = line.indexOf(': ');
        return [line.slice(0, i).toLowerCase(), line.slice(i + 2)];
      }),
  );
}

/** The URL the printed curl command posts to. */
function curlUrl(stdout: string): string {
  const curl = stdout.split('\n').find((line) => line.startsWith('curl ')) ?? '';
  const words = spawnSync('sh', ['-c', `printf '%s\\n' ${curl.replace(/^curl /, '')}`], {
    encoding: 'utf8',
  }).stdout.split('\n');
  return words[2] ?? '';
}

/** A fresh Ed25519 key pair as Discord shows it: the 32-byte seed and public key in hex. */
function discordKeys(): { seed: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    seed: privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32).toString('hex'),
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex'),
  };
}

const DISCORD = discordKeys();
const TWILIO_URL = 'https://api.example.com/sms?x=1';

/** Per scheme: what `sign` is given, and the verifier options that must accept its output. */
const KEYS: Record<
  WebhookSchemeName,
  { readonly sign: readonly string[]; readonly verifier: WebhookVerifierOptions }
> = {
  'mission-control': { sign: ['--secret', 'mc-secret'], verifier: { secret: 'mc-secret' } },
  github: { sign: ['--secret', 'gh-secret'], verifier: { secret: 'gh-secret' } },
  'standard-webhooks': {
    sign: ['--secret', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    verifier: { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
  },
  stripe: { sign: ['--secret', 'whsec_stripe'], verifier: { secret: 'whsec_stripe' } },
  slack: { sign: ['--secret', 'slack-signing'], verifier: { secret: 'slack-signing' } },
  discord: { sign: ['--secret', DISCORD.seed], verifier: { publicKey: DISCORD.publicKey } },
  shopify: { sign: ['--secret', 'shpss_client'], verifier: { secret: 'shpss_client' } },
  twilio: {
    sign: ['--secret', 'auth-token', '--url', TWILIO_URL],
    verifier: { secret: 'auth-token' },
  },
  gitlab: { sign: ['--secret', 'gl-token'], verifier: { secret: 'gl-token' } },
};

describe('bulwark sign', () => {
  const body = '{"event":"ping","n":1}';

  it('has key material for every scheme', () => {
    expect(Object.keys(KEYS).sort()).toEqual([...WEBHOOK_SCHEMES].sort());
  });

  it.each(WEBHOOK_SCHEMES)('prints %s headers that verify', async (scheme) => {
    const r = runCli(['sign', '--scheme', scheme, ...KEYS[scheme].sign], body);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('curl -X POST');
    const verifier = createWebhookVerifier({ scheme, replay: false, ...KEYS[scheme].verifier });
    const headers = headersFrom(r.stdout);
    const url = curlUrl(r.stdout);
    expect((await verifier.verify({ body, headers, url })).ok).toBe(true);
    // The same headers do not fit another body: the output really is bound to these bytes
    // (a GitLab token is not bound to the body: it must not fit another secret instead).
    const other =
      scheme === 'gitlab'
        ? await createWebhookVerifier({ scheme, secret: 'other-token' }).verify({ body, headers })
        : await verifier.verify({ body: `${body} `, headers, url });
    expect(other.ok).toBe(false);
  });

  it('lists every scheme in --help', () => {
    const help = runCli(['sign', '--help']).stdout.replace(/\s+/g, ' ');
    for (const scheme of WEBHOOK_SCHEMES) expect(help).toContain(scheme);
    expect(help).toContain('--scheme-file F');
  });

  it('prints a curl command that sends exactly the signed bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-cli-'));
    const file = join(dir, "it's.json");
    writeFileSync(file, `${body}\n`);
    const r = runCli(
      ['sign', '--secret-env', 'HOOK_SECRET', '--file', file, '--url', 'http://h/x'],
      '',
      {
        HOOK_SECRET: 'env-secret-value',
      },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`--data-binary '@${file.replace(/'/g, `'\\''`)}'`);
    expect(r.stdout).not.toContain('env-secret-value');
    // The command is valid shell: sh parses it back into the same words.
    const curl = r.stdout.trim().split('\n').at(-1) ?? '';
    const words = spawnSync('sh', ['-c', `printf '%s\\n' ${curl.replace(/^curl /, '')}`], {
      encoding: 'utf8',
    }).stdout.split('\n');
    expect(words).toContain(`@${file}`);
    expect(words).toContain('http://h/x');
  });

  it('inlines a small body, quoted for the shell', () => {
    const r = runCli(['sign', '--secret', 'k'], `it's "quoted"`);
    const curl = r.stdout.trim().split('\n').at(-1) ?? '';
    const words = spawnSync('sh', ['-c', `printf '%s\\n' ${curl.replace(/^curl /, '')}`], {
      encoding: 'utf8',
    }).stdout.split('\n');
    expect(words).toContain(`it's "quoted"`);
  });

  it('uses the given timestamp and delivery id', () => {
    const r = runCli(
      [
        'sign',
        '--secret',
        'whsec_aGVsbG8=',
        '--scheme',
        'standard-webhooks',
        '--timestamp',
        '1700000000',
        '--id',
        'msg_1',
      ],
      body,
    );
    expect(headersFrom(r.stdout)).toMatchObject({
      'webhook-id': 'msg_1',
      'webhook-timestamp': '1700000000',
    });
  });

  it('exits 2 with the usage on a mistake, and 0 on --help', () => {
    for (const args of [
      ['sign'],
      ['sign', '--secret', 'k', '--scheme', 'gitea'],
      ['sign', '--bogus', 'x'],
    ]) {
      const r = runCli(args, body);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('usage: bulwark sign');
    }
    const help = runCli(['sign', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      'exit codes: 0 signed, 2 usage error, 3 the body or scheme file could not be read',
    );
  });

  it('exits 3 when the body file cannot be read', () => {
    const r = runCli(['sign', '--secret', 'k', '--file', '/nonexistent/body.json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('cannot read --file');
  });
});

describe('bulwark sign --scheme discord', () => {
  const body = '{"type":1}';

  it('signs with the hex seed what discord-interactions accepts, and names the public key', async () => {
    const r = runCli(['sign', '--scheme', 'discord', '--secret', DISCORD.seed], body);
    expect(r.code, r.stderr).toBe(0);
    const h = headersFrom(r.stdout);
    const signature = h['x-signature-ed25519'] ?? '';
    const timestamp = h['x-signature-timestamp'] ?? '';
    expect(await verifyKey(body, signature, timestamp, DISCORD.publicKey)).toBe(true);
    expect(await verifyKey(`${body} `, signature, timestamp, DISCORD.publicKey)).toBe(false);
    expect(r.stdout).toContain(`--public-key ${DISCORD.publicKey}`);
    // The seed is the private key: it is never echoed.
    expect(r.stdout).not.toContain(DISCORD.seed);
  });

  it('refuses a secret that is not a 64-hex-digit seed', () => {
    const r = runCli(['sign', '--scheme', 'discord', '--secret', 'not-a-seed'], body);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('64 hex digits of an Ed25519 private key seed');
    expect(r.stderr).not.toContain('bulwark: signWebhook');
  });
});

describe('bulwark sign --scheme twilio', () => {
  const token = 'twilio-auth-token';

  it('appends bodySHA256 to the URL of a JSON body and signs that URL, as validateRequestWithBody checks', () => {
    const body = '{"event":"message.added"}';
    const r = runCli(['sign', '--scheme', 'twilio', '--secret', token, '--url', TWILIO_URL], body);
    expect(r.code, r.stderr).toBe(0);
    const hash = createHash('sha256').update(body).digest('hex');
    const url = curlUrl(r.stdout);
    expect(url).toBe(`${TWILIO_URL}&bodySHA256=${hash}`);
    const signature = headersFrom(r.stdout)['x-twilio-signature'] ?? '';
    expect(twilio.validateRequestWithBody(token, signature, url, body)).toBe(true);
    expect(twilio.validateRequestWithBody(token, signature, url, `${body} `)).toBe(false);
    expect(r.stdout).toContain(`--url '${url}'`);
  });

  it('keeps a bodySHA256 the URL already carries', () => {
    const body = '{"a":1}';
    const url = `https://api.example.com/hook?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
    const r = runCli(['sign', '--scheme', 'twilio', '--secret', token, '--url', url], body);
    expect(r.code, r.stderr).toBe(0);
    expect(curlUrl(r.stdout)).toBe(url);
  });

  it('signs the sorted form parameters of a form body, as validateRequest checks', () => {
    const url = 'https://api.example.com/sms';
    const body = 'To=%2B15550001111&From=%2B15552223333&Body=hello+there';
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
      body,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(curlUrl(r.stdout)).toBe(url);
    const h = headersFrom(r.stdout);
    expect(h['content-type']).toBe('application/x-www-form-urlencoded');
    const params = Object.fromEntries(new URLSearchParams(body));
    const signature = h['x-twilio-signature'] ?? '';
    expect(twilio.validateRequest(token, signature, url, params)).toBe(true);
    expect(twilio.validateRequest(token, signature, url, { ...params, Body: 'other' })).toBe(false);
  });

  it('refuses a URL that is not absolute', () => {
    const r = runCli(['sign', '--scheme', 'twilio', '--secret', token, '--url', '/sms'], '{}');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('twilio signs the full public URL');
  });
});

describe('bulwark sign --scheme-file', () => {
  const body = '{"event":"meeting.started"}';
  const zoom: CustomWebhookScheme = {
    name: 'zoom',
    signatureHeader: 'x-zm-signature',
    signaturePrefix: 'v0=',
    signed: 'v0:{timestamp}:{body}',
    timestampHeader: 'x-zm-request-timestamp',
  };

  function schemeFile(content: string): string {
    const file = join(mkdtempSync(join(tmpdir(), 'bulwark-cli-')), 'scheme.json');
    writeFileSync(file, content);
    return file;
  }

  it('signs with a custom scheme described in JSON', async () => {
    const r = runCli(
      ['sign', '--scheme-file', schemeFile(JSON.stringify(zoom)), '--secret', 'zoom-secret'],
      body,
    );
    expect(r.code, r.stderr).toBe(0);
    const headers = headersFrom(r.stdout);
    expect(headers['x-zm-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
    const verifier = createWebhookVerifier({ scheme: zoom, secret: 'zoom-secret' });
    expect((await verifier.verify({ body, headers })).ok).toBe(true);
    expect((await verifier.verify({ body: `${body} `, headers })).ok).toBe(false);
  });

  it('exits 2 with the reason for invalid JSON or an invalid description', () => {
    const notJson = runCli(
      ['sign', '--scheme-file', schemeFile('{name: zoom'), '--secret', 'k'],
      body,
    );
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('is not JSON');
    const unknownField = runCli(
      [
        'sign',
        '--scheme-file',
        schemeFile(JSON.stringify({ ...zoom, header: 'x' })),
        '--secret',
        'k',
      ],
      body,
    );
    expect(unknownField.code).toBe(2);
    expect(unknownField.stderr).toContain(
      'bulwark sign: webhook scheme header: is not an option of a custom scheme',
    );
    const noTimestamp = runCli(
      [
        'sign',
        '--scheme-file',
        schemeFile(JSON.stringify({ ...zoom, timestampHeader: undefined })),
        '--secret',
        'k',
      ],
      body,
    );
    expect(noTimestamp.code).toBe(2);
    expect(noTimestamp.stderr).toContain('uses {timestamp} but no timestampHeader is set');
    const notObject = runCli(
      ['sign', '--scheme-file', schemeFile('"github"'), '--secret', 'k'],
      body,
    );
    expect(notObject.code).toBe(2);
    expect(notObject.stderr).toContain('write a JSON object');
  });

  it('refuses --scheme with --scheme-file, and exits 3 on an unreadable file', () => {
    const both = runCli(
      [
        'sign',
        '--scheme',
        'github',
        '--scheme-file',
        schemeFile(JSON.stringify(zoom)),
        '--secret',
        'k',
      ],
      body,
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--scheme and --scheme-file together');
    const missing = runCli(
      ['sign', '--scheme-file', '/nonexistent/scheme.json', '--secret', 'k'],
      body,
    );
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('cannot read --scheme-file');
  });
});

describe('bulwark', () => {
  it('lists the commands on --help and exits 2 on an unknown command', () => {
    const help = runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/sign .*\n.*verify/);
    const bad = runCli(['frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown command "frobnicate"');
  });
});
