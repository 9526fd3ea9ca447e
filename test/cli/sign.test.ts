import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWebhookVerifier } from 'bulwark';
import type { WebhookSchemeName } from 'bulwark';
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

describe('bulwark sign', () => {
  const body = '{"event":"ping","n":1}';

  it.each<[WebhookSchemeName, string]>([
    ['mission-control', 'mc-secret'],
    ['github', 'gh-secret'],
    ['standard-webhooks', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    ['stripe', 'whsec_stripe'],
    ['slack', 'slack-signing'],
  ])('prints %s headers that verify', async (scheme, secret) => {
    const r = runCli(['sign', '--secret', secret, '--scheme', scheme], body);
    expect(r.code).toBe(0);
    const verdict = await createWebhookVerifier({ scheme, secret }).verify({
      body,
      headers: headersFrom(r.stdout),
    });
    expect(verdict.ok).toBe(true);
    expect(r.stdout).toContain('curl -X POST');
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
      ['sign', '--secret', 'k', '--scheme', 'gitlab'],
      ['sign', '--bogus', 'x'],
    ]) {
      const r = runCli(args, body);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('usage: bulwark sign');
    }
    const help = runCli(['sign', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      'exit codes: 0 signed, 2 usage error, 3 the body could not be read',
    );
  });

  it('exits 3 when the body file cannot be read', () => {
    const r = runCli(['sign', '--secret', 'k', '--file', '/nonexistent/body.json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('cannot read --file');
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
