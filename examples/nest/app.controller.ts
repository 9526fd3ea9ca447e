import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { RateLimit, SkipRateLimit, VerifyWebhook } from 'bulwark/nest';

// An unset variable would leave the webhook unverified: @VerifyWebhook refuses to start.
const WEBHOOK_SECRET = process.env.WEBHOOK_SECRET ?? 'example-secret';

@Controller()
export class AppController {
  // Probed by the load balancer every few seconds: never rate limited.
  @SkipRateLimit()
  @Get('healthz')
  health(): { ok: boolean } {
    return { ok: true };
  }

  @Get('api/v1/hello')
  hello(): { hello: string } {
    return { hello: 'world' };
  }

  // Mission Control's agent authentication limit, on top of the global one.
  @RateLimit({ limiter: { name: 'auth', limit: 20, windowMs: 60_000 } })
  @Post('api/v1/agent/login')
  @HttpCode(200)
  login(): { ok: boolean } {
    return { ok: true };
  }

  // Verified on the raw bytes before Nest parses them; @Body() is the parsed delivery.
  @VerifyWebhook({ secret: WEBHOOK_SECRET })
  @Post('hooks/mission-control')
  @HttpCode(202)
  receive(@Body() event: unknown): { received: unknown } {
    return { received: event };
  }
}
