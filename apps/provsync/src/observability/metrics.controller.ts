import { Controller, Get, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { metrics } from './metrics.js';

/** `GET /metrics`: the Prometheus exposition text. No token, like `/health/*` (issue 14 item 2). */
@Controller('metrics')
export class MetricsController {
  @Get()
  async scrape(@Res() response: ServerResponse): Promise<void> {
    const text = await metrics.text();
    response.setHeader('content-type', metrics.contentType);
    response.end(text);
  }
}
