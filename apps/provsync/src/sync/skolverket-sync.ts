import { randomUUID } from 'node:crypto';
import {
  type DesiredItem,
  evolveSync,
  initialSyncState,
  type ObjectResult,
  type OpenBatch,
  type PlannedBatch,
  SYNC_STREAM,
  type SyncEvent,
  SyncPlanner,
  type SyncState,
} from '@provsync/domain';
import type { EventStore } from '@provsync/event-store';
import type { AsynchronousResponse } from '@provsync/skolverket-api';
import { SkolverketApiError, type SkolverketClient, SkolverketError } from '@provsync/skolverket-client';

export type ProvisioningCalls = Pick<SkolverketClient, 'submitUpserts' | 'submitDeletes' | 'isJobCompleted' | 'jobResult'>;

/** Skolverket answers 413 above 204,800 bytes; the bulk body wraps the objects in `{"data":[…]}`. */
export const MAX_BATCH_BYTES = 204_800 - 64;

export interface SyncOptions {
  desired: () => Promise<Map<string, DesiredItem>>;
  pollIntervalMs?: number;
  now?: () => Date;
  onProgress?: (event: SyncEvent) => void;
  /** Fault injection for crash-recovery tests: the process kills itself at this point. */
  crashAt?: 'after-submit' | 'after-accept';
}

/**
 * The sync process manager: plans from desired vs acknowledged state, records each batch before sending it,
 * records Skolverket's job id and results as they come, and resumes from those records after a restart.
 */
export class SkolverketSync {
  private state: SyncState = initialSyncState();
  private revision: number | 'no_stream' = 'no_stream';

  constructor(
    private readonly store: EventStore,
    private readonly skolverket: ProvisioningCalls,
    private readonly options: SyncOptions,
  ) {}

  get syncState(): SyncState {
    return this.state;
  }

  async load(): Promise<void> {
    this.state = initialSyncState();
    const events = await this.store.readStream(SYNC_STREAM);
    for (const e of events) evolveSync(this.state, { type: e.type, data: e.data } as SyncEvent);
    this.revision = events.length ? events[events.length - 1].revision : 'no_stream';
  }

  /** One round: re-send batches whose job id was never recorded, read finished jobs, send what is ready. */
  async tick(): Promise<{ idle: boolean }> {
    for (const batch of [...this.state.openBatches.values()]) {
      if (batch.jobId) await this.poll(batch);
      else await this.submit(batch);
    }
    const planned = new SyncPlanner(await this.options.desired(), this.state).plan({ maxBatchBytes: MAX_BATCH_BYTES });
    for (const batch of planned) await this.start(batch);
    return { idle: planned.length === 0 && this.state.openBatches.size === 0 };
  }

  async runUntilIdle(shouldStop: () => boolean = () => false): Promise<void> {
    while (!shouldStop()) {
      const { idle } = await this.tick();
      if (idle) return;
      await sleep(this.options.pollIntervalMs ?? 1000);
    }
  }

  private async start(planned: PlannedBatch): Promise<void> {
    const batchId = randomUUID();
    await this.record({ type: 'BatchSubmissionStarted', data: { batchId, ...planned, at: this.at() } });
    await this.submit(this.state.openBatches.get(batchId)!);
  }

  private async submit(batch: OpenBatch): Promise<void> {
    let jobId: string;
    try {
      jobId = (
        batch.operation === 'upsert'
          ? await this.skolverket.submitUpserts(batch.objectType, batch.body as never[])
          : await this.skolverket.submitDeletes(batch.objectType, batch.body as string[])
      ).jobId;
    } catch (error) {
      // A definite refusal (4xx) ends the batch; anything else may or may not have reached Skolverket,
      // so the batch stays open and is sent again next round (upserts and deletes are idempotent).
      if (error instanceof SkolverketApiError && isDefiniteRefusal(error)) {
        await this.record({ type: 'BatchRefused', data: { batchId: batch.batchId, retry: false, reason: error.message, at: this.at() } });
        return;
      }
      if (error instanceof SkolverketError) return;
      throw error;
    }
    if (this.options.crashAt === 'after-submit') process.kill(process.pid, 'SIGKILL');
    await this.record({ type: 'BatchAccepted', data: { batchId: batch.batchId, jobId, at: this.at() } });
    if (this.options.crashAt === 'after-accept') process.kill(process.pid, 'SIGKILL');
  }

  private async poll(batch: OpenBatch): Promise<void> {
    const jobId = batch.jobId!;
    try {
      if (!(await this.skolverket.isJobCompleted(batch.objectType, jobId))) return;
      const answer = await this.skolverket.jobResult(batch.objectType, jobId, { onlyErrors: true });
      await this.record({ type: 'JobResultsRecorded', data: { batchId: batch.batchId, jobId, results: resultsOf(answer), at: this.at() } });
    } catch (error) {
      if (error instanceof SkolverketError) return; // asked again next round
      throw error;
    }
  }

  private async record(event: SyncEvent): Promise<void> {
    const { revisions } = await this.store.append([
      { stream: SYNC_STREAM, events: [{ type: event.type, data: event.data }], expectedRevision: this.revision },
    ]);
    this.revision = revisions[SYNC_STREAM];
    evolveSync(this.state, event);
    this.options.onProgress?.(event);
  }

  private at(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }
}

function isDefiniteRefusal(error: SkolverketApiError): boolean {
  const { status } = error;
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function resultsOf(answer: AsynchronousResponse): ObjectResult[] {
  return answer.responses.map(({ id, response }) => ({
    id,
    status: response.status,
    errors: response.errors?.map(messageOf),
    warnings: response.warnings?.map(messageOf),
  }));
}

function messageOf(entry: { message: string; attributeName?: string; resourceType?: string; resourceId?: string; attributeValue?: string }) {
  const { message, attributeName, resourceType, resourceId, attributeValue } = entry;
  return { message, attributeName, resourceType, resourceId, attributeValue };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

