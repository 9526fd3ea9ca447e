// The Mission Control example: `npm run example` (FRAMEWORK=express|koa|fastify, default fastify).
import { ConfigError, signWebhook } from 'bulwark';
import { startMissionControl } from './app/start.js';

try {
  const mc = await startMissionControl(process.env);
  const { seeded } = mc.services;
  const ingest = `${mc.url}/api/v1/boards/${seeded.boardId}/webhooks/${seeded.webhookId}`;
  const body = JSON.stringify({ event: 'push', ref: 'refs/heads/main' });
  const signed = signWebhook(body, seeded.secrets.webhook, { scheme: 'mission-control' });
  const headerArgs = Object.entries(signed)
    .map(([k, v]) => `-H '${k}: ${v}'`)
    .join(' ');
  const lines = [
    `Mission Control example (${mc.config.framework}, ${mc.config.bulwark.rateLimit.backend} rate limits) on ${mc.url}`,
    '',
    `organization  ${seeded.organizationId}`,
    `board         ${seeded.boardId}`,
    `webhook       ${seeded.webhookId} (signed)   ${seeded.unsignedWebhookId} (unsigned)`,
    `gateway       ${seeded.gatewayId}`,
    '',
    'tokens for trying it (printed once, at start, for this demo only):',
    `  user (org admin)   Authorization: Bearer ${seeded.tokens.admin}`,
    `  board agent        X-Agent-Token: ${seeded.tokens.boardAgent}`,
    `  webhook secret     ${seeded.secrets.webhook}`,
    '',
    'try:',
    `  curl -s ${mc.url}/api/v1/boards -H 'Authorization: Bearer ${seeded.tokens.admin}'`,
    `  curl -s ${mc.url}/api/v1/gateways -H 'Authorization: Bearer ${seeded.tokens.admin}'     # token shown as has_token`,
    `  curl -si ${ingest} -H 'Content-Type: application/json' ${headerArgs} -d '${body}'`,
    `  curl -s ${mc.url}/api/v1/agent/boards/${seeded.boardId}/memory -H 'X-Agent-Token: ${seeded.tokens.boardAgent}'`,
    '',
    `sign your own delivery with the CLI: echo '${body}' | npx tsx src/cli.ts sign --secret '${seeded.secrets.webhook}' --url ${ingest}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n\n`);
  const shutdown = () => {
    void mc.close().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(
    `mission control failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
