import { Controller, Get, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@provsync/event-store';
import { SyncLoop } from './sync-loop.service.js';

@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly syncLoop: SyncLoop,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** Ready when the store answers and the last sync round did not fail. */
  @Get('ready')
  async ready() {
    const storedEvents = await this.store.count();
    const sync = { lastRoundAt: this.syncLoop.lastRoundAt ?? null, lastError: this.syncLoop.lastError ?? null };
    if (sync.lastError) throw new HttpException({ status: 'degraded', storedEvents, sync }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ok', storedEvents, sync };
  }
}
