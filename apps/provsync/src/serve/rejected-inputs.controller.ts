import { Controller, Get, Inject, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { REJECTED_INPUTS_STREAM, type SisInputRejected } from '@provsync/domain';
import { EVENT_STORE, type EventStore } from '@provsync/event-store';

export class RejectedInputsQuery {
  /** Revision in the rejected-inputs stream to start from (0: the oldest). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  from = 0;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 100;
}

/**
 * `GET /rejected-inputs`: what was refused, where it came from and why, for the operator. The raw input
 * (which may hold personal data) stays in the store and is not served here.
 */
@Controller('rejected-inputs')
export class RejectedInputsController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  async list(@Query() query: RejectedInputsQuery) {
    const events = (await this.store.readStream(REJECTED_INPUTS_STREAM, query.from)).slice(0, query.limit);
    return {
      items: events.map((event) => {
        const data = event.data as SisInputRejected['data'];
        return { revision: event.revision, recordedAt: event.recordedAt, receipt: data.receipt, problems: data.problems, bytes: data.rawBytes };
      }),
      next: events.length === query.limit ? query.from + query.limit : null,
    };
  }
}
