import { Module } from '@nestjs/common';
import { BulwarkModule } from 'bulwark/nest';
import { AppController } from './app.controller.js';

@Module({
  imports: [
    BulwarkModule.forRoot({
      // securityHeaders: the Mission Control preset, on every response (404s included).
      cors: { origins: ['https://app.example.com'] },
      rateLimit: { limiter: { name: 'api', limit: 100, windowMs: 60_000 } },
    }),
  ],
  controllers: [AppController],
})
// eslint-disable-next-line @typescript-eslint/no-extraneous-class -- a Nest module is its decorator
export class AppModule {}
