// A Next.js App Router route handler (app/api/webhooks/route.ts) behind bulwark: the delivery
// is verified on its raw bytes before the handler runs, and the answer carries the security
// headers. The request is typed as the Fetch `Request`, which Next's `NextRequest` extends.
import { withBulwark } from 'bulwark/fetch';

export const POST = withBulwark(
  {
    verifyWebhook: { scheme: 'github', secret: process.env.GITHUB_WEBHOOK_SECRET },
    // A route handler is given no client address: count per webhook instead of per IP.
    rateLimit: {
      limiter: { limit: 60, windowMs: 60_000 },
      key: (request: Request) => request.headers.get('x-github-hook-id') ?? 'unknown-hook',
    },
  },
  async (request: Request, { body }) => {
    const event = request.headers.get('x-github-event');
    await Promise.resolve(); // your work with the verified `body` goes here
    return Response.json({ received: event, body }, { status: 202 });
  },
);
