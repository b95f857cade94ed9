import { Controller, HttpCode, HttpException, HttpStatus, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { parseSisBatch } from '@provsync/domain';
import type { IncomingMessage } from 'node:http';
import { RecordSisChanges } from '../recording/record-sis-changes.command.js';
import type { SisInput } from '../recording/sis-input.js';

/** A request body is read whole; a municipality sends large loads through Kafka or files instead. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * `POST /sis-events`: a JSON array of CloudEvents or NDJSON (structured mode), or one event in binary
 * mode (`ce-*` headers). Every element is recorded or kept as rejected; the answer says which.
 */
@Controller('sis-events')
export class SisEventsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  async ingest(@Req() request: IncomingMessage) {
    const body = await readBody(request);
    const receivedAt = new Date().toISOString();
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
    const inputs: SisInput[] = headers['ce-specversion']
      ? [{ raw: body, headers, channel: 'http', receivedAt }]
      : parseSisBatch(body).map((item) =>
          'raw' in item ? { raw: item.raw, channel: 'http', receivedAt } : { raw: '', problems: item.problems, channel: 'http', receivedAt },
        );
    const outcomes = await this.commands.execute(new RecordSisChanges(inputs));
    const count = (status: string) => outcomes.filter((o) => o.status === status).length;
    return {
      recorded: count('recorded'),
      outOfOrder: count('stale'),
      duplicates: count('duplicate'),
      rejected: outcomes.flatMap((o, index) => (o.status === 'rejected' ? [{ index, problems: o.problems }] : [])),
    };
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new HttpException(`request body over ${MAX_BODY_BYTES} bytes; send large loads as NDJSON files or through Kafka`, HttpStatus.PAYLOAD_TOO_LARGE);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
