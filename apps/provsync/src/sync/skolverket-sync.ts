import { randomUUID } from 'node:crypto';
import {
  type DesiredItem,
  evolveSync,
  initialSyncState,
  JobTiming,
  type OpenBatch,
  type PlannedBatch,
  refKey,
  SEND_ORDER,
  SYNC_EVENT_TYPES,
  SYNC_STREAM,
  type SyncEvent,
  type SyncState,
  SyncWorklist,
} from '@provsync/domain';
import type { EventStore } from '@provsync/event-store';
import type { ObjectType } from '@provsync/skolverket-api';
import {
  type Availability,
  BrokenCircuitError,
  PayloadTooLargeError,
  SkolverketApiError,
  type SkolverketClient,
  SkolverketError,
  TokenRejectedError,
} from '@provsync/skolverket-client';
import { isFinished, notableResults, serverTiming } from './job-results.js';

export type ProvisioningCalls = Pick<SkolverketClient, 'submitUpserts' | 'submitDeletes' | 'jobResult' | 'onAvailabilityChange'>;

const LOAD_PAGE = 50;

/** Skolverket answers 413 above 204,800 bytes; the bulk body wraps the objects in `{"data":[…]}`. */
export const MAX_BATCH_BYTES = 204_800 - 64;

/** Where the desired state comes from: a live map kept up to date, and which keys changed since last asked. */
export interface DesiredSource {
  catchUp(): Promise<unknown>;
  liveDesired(): ReadonlyMap<string, DesiredItem>;
  takeChanged(): Set<string>;
}

export interface SyncOptions {
  desired: DesiredSource;
  /** How often a running sync with nothing to do looks for new SIS changes (default 200 ms). */
  pollIntervalMs?: number;
  /** Calls started and not yet answered, waiting for a slot or in flight (default 3). */
  maxOutstandingCalls?: number;
  /** A part-filled batch waits at most this long for more objects while jobs it depends on run (default 2 s). */
  maxHoldMs?: number;
  now?: () => Date;
  onProgress?: (event: SyncEvent) => void;
  /** Fault injection for crash-recovery tests: the process kills itself at this point. */
  crashAt?: 'after-submit' | 'after-accept';
}

type Step = 'busy' | 'waiting' | 'idle';

/**
 * The sync process manager. Each step starts the one most useful call within Skolverket's shared 5/s budget:
 * a batch whose submission was never answered, else a job due for its (one, well-timed) status call, else
 * the next full batch in dependency order, so Person batches keep flowing while Duty batches start for the
 * Persons already acknowledged. Calls overlap (a few at a time; the client's pacer keeps the rate): waiting
 * for one answer before choosing the next call left a third of the budget unused. Every state change is an
 * event in the store, appended one at a time in order: a submission before its call, so a restart resumes
 * where the last process stopped; the job id and results after the answer, while other calls go on.
 */
export class SkolverketSync {
  private state: SyncState = initialSyncState();
  private revision: number | 'no_stream' = 'no_stream';
  private worklist?: SyncWorklist;
  private readonly timing = new JobTiming();
  private readonly polls = new Map<string, { dueAt: number; count: number; acceptedAt: number }>();
  private readonly retryAt = new Map<string, number>();
  private maxBatchBytes = MAX_BATCH_BYTES;
  /** Breaker moves not yet recorded: it can open and close again within one call's retries. */
  private readonly availabilityMoves: Availability[] = [];
  /** Calls started and not yet settled (answer recorded), and the batches they are for. */
  private readonly outstanding = new Set<Promise<void>>();
  private readonly calling = new Set<string>();
  /** An error a call met that stops the sync (someone must act): thrown by the next step. */
  private failure?: unknown;
  /** Appends in order, one at a time: each expects the revision the previous one produced. */
  private recording: Promise<unknown> = Promise.resolve();
  private wakeUp?: () => void;
  /** Batches Skolverket answered 413 for, to be split by the step loop (see `step`). */
  private readonly tooLarge: Array<{ batch: OpenBatch; error: PayloadTooLargeError }> = [];

  constructor(
    private readonly store: EventStore,
    private readonly skolverket: ProvisioningCalls,
    private readonly options: SyncOptions,
  ) {
    skolverket.onAvailabilityChange((availability) => this.availabilityMoves.push(availability));
  }

  get syncState(): SyncState {
    return this.state;
  }

  async load(): Promise<void> {
    await this.settle();
    this.state = initialSyncState();
    this.revision = 'no_stream';
    // A page at a time: every submission carries its body (up to 200 KB), and the state keeps only the
    // bodies of batches Skolverket has not accepted yet; reading the whole stream at once held them all.
    for (let after = 0n; ; ) {
      const page = await this.store.readAll({ after, limit: LOAD_PAGE, types: SYNC_EVENT_TYPES });
      for (const e of page) {
        if (e.stream !== SYNC_STREAM) continue;
        evolveSync(this.state, { type: e.type, data: e.data } as SyncEvent);
        this.revision = e.revision;
      }
      if (page.length < LOAD_PAGE) break;
      after = page[page.length - 1].position;
    }
    this.worklist = undefined;
    this.polls.clear();
    for (const batch of this.state.openBatches.values()) if (batch.jobId) this.schedulePoll(batch, this.nowMs());
  }

  /** Steps until nothing can be done right now; `idle` when nothing is pending or in flight. */
  async tick(): Promise<{ idle: boolean }> {
    for (;;) {
      const step = await this.step();
      if (step !== 'busy') return { idle: step === 'idle' };
    }
  }

  /** Works until nothing is pending or in flight (or `shouldStop`). */
  async runUntilIdle(shouldStop: () => boolean = () => false): Promise<void> {
    try {
      while (!shouldStop()) {
        const step = await this.step();
        if (step === 'idle') return;
        if (step === 'waiting') await this.pause(this.waitMs());
      }
    } finally {
      await this.settle();
    }
  }

  /** Works until `shouldStop`, picking up new SIS changes as they are recorded. */
  async run(shouldStop: () => boolean): Promise<void> {
    try {
      while (!shouldStop()) {
        const step = await this.step();
        if (step !== 'busy') await this.pause(this.waitMs());
      }
    } finally {
      await this.settle();
    }
  }

  /** Waits for the calls under way and their records (before the client closes). */
  async settle(): Promise<void> {
    while (this.outstanding.size) await Promise.allSettled([...this.outstanding]);
    await this.recording;
  }

  private async step(): Promise<Step> {
    if (this.failure) {
      const failure = this.failure;
      this.failure = undefined;
      throw failure;
    }
    const worklist = await this.catchUp();
    try {
      // Splits first, and here: the refusal frees the batch's objects, and a step taking them into a new
      // batch before the halves are recorded would send them twice.
      const tooLarge = this.tooLarge.shift();
      if (tooLarge) return await this.split(tooLarge.batch, tooLarge.error);
      if (this.outstanding.size >= (this.options.maxOutstandingCalls ?? 3)) return 'waiting';
      const unsent = [...this.state.openBatches.values()].find(
        (b) => !b.jobId && !this.calling.has(b.batchId) && (this.retryAt.get(b.batchId) ?? 0) <= this.nowMs(),
      );
      if (unsent) return this.launch(unsent.batchId, () => this.submit(unsent));
      const due = this.duePoll();
      if (due) return this.launch(due.batchId, () => this.poll(due));
      const next = worklist.take({
        maxBatchBytes: this.maxBatchBytes,
        nowMs: this.nowMs(),
        maxHoldMs: this.options.maxHoldMs ?? 2_000,
        moreMayCome: (operation, objectType) => this.moreMayCome(operation, objectType),
      });
      if (next) return await this.start(next.batch, next.bytes);
    } finally {
      await this.recordAvailability();
    }
    return this.state.openBatches.size === 0 && this.outstanding.size === 0 && !worklist.hasReady(this.nowMs()) ? 'idle' : 'waiting';
  }

  /** Starts a call for a batch and goes on; its answer is recorded when it comes (or stops the sync). */
  private launch(batchId: string, call: () => Promise<unknown>): Step {
    this.calling.add(batchId);
    const running: Promise<void> = call()
      .then(
        () => undefined,
        (error: unknown) => {
          this.failure ??= error;
        },
      )
      .finally(() => {
        this.calling.delete(batchId);
        this.outstanding.delete(running);
        this.wakeUp?.();
      });
    this.outstanding.add(running);
    return 'busy';
  }

  /** Sleeps `ms`, or less if a call settles meanwhile (its answer may make more work ready). */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private async catchUp(): Promise<SyncWorklist> {
    await this.options.desired.catchUp();
    if (!this.worklist) {
      this.worklist = new SyncWorklist(this.options.desired.liveDesired(), this.state);
      this.options.desired.takeChanged();
    } else this.worklist.desiredChanged(this.options.desired.takeChanged());
    return this.worklist;
  }

  private async start(planned: PlannedBatch, bytes: number): Promise<Step> {
    const batchId = randomUUID();
    // Claimed before it is recorded: once recorded it is an open, unsent batch, and a step running meanwhile
    // (a 413 split starts its halves while the sync goes on) must not send it a second time.
    this.calling.add(batchId);
    try {
      await this.record({ type: 'BatchSubmissionStarted', data: { batchId, ...planned, at: this.at() } });
      if (planned.items.length === 1 && bytes > this.maxBatchBytes) {
        const reason =
          `The object is ${bytes} bytes as JSON, over Skolverket's limit of 204,800 bytes per call, and was not sent. ` +
          'Make it smaller in the SIS (for a group: fewer members); it is sent again when it changes';
        await this.record({ type: 'BatchRefused', data: { batchId, retry: false, reason, at: this.at() } });
        return 'busy';
      }
    } finally {
      this.calling.delete(batchId);
    }
    return this.launch(batchId, () => this.submit(this.state.openBatches.get(batchId)!));
  }

  private async submit(batch: OpenBatch): Promise<Step> {
    let jobId: string;
    try {
      jobId = (
        batch.operation === 'upsert'
          ? await this.skolverket.submitUpserts(batch.objectType, batch.body as never[])
          : await this.skolverket.submitDeletes(batch.objectType, batch.body as string[])
      ).jobId;
    } catch (error) {
      if (error instanceof PayloadTooLargeError && batch.items.length > 1) {
        this.tooLarge.push({ batch, error });
        return 'busy';
      }
      // Not the objects' fault: the batch stays open, and the sync stops with the error for someone to act on.
      if (error instanceof TokenRejectedError) throw error;
      // A definite refusal (4xx) ends the batch; anything else may or may not have reached Skolverket,
      // so the batch stays open and is sent again shortly (upserts and deletes are idempotent).
      if (error instanceof SkolverketApiError && isDefiniteRefusal(error)) {
        await this.record({ type: 'BatchRefused', data: { batchId: batch.batchId, retry: false, reason: error.message, at: this.at() } });
        return 'busy';
      }
      if (!isTransient(error)) throw error;
      this.retryAt.set(batch.batchId, this.nowMs() + 1_000);
      return 'waiting';
    }
    this.retryAt.delete(batch.batchId);
    if (this.options.crashAt === 'after-submit') process.kill(process.pid, 'SIGKILL');
    await this.record({ type: 'BatchAccepted', data: { batchId: batch.batchId, jobId, at: this.at() } });
    if (this.options.crashAt === 'after-accept') process.kill(process.pid, 'SIGKILL');
    this.schedulePoll(batch, this.nowMs());
    return 'busy';
  }

  /** 413: Skolverket's limit is below what we packed for. Send the halves, and pack smaller from now on. */
  private async split(batch: OpenBatch, error: PayloadTooLargeError): Promise<Step> {
    this.maxBatchBytes = Math.min(this.maxBatchBytes, Math.floor(error.bodyBytes * 0.9));
    const reason = `Skolverket answered 413 for ${error.bodyBytes} bytes; sent again as two halves`;
    await this.record({ type: 'BatchRefused', data: { batchId: batch.batchId, retry: true, reason, at: this.at() } });
    const half = Math.ceil(batch.items.length / 2);
    for (const [from, to] of [[0, half], [half, batch.items.length]] as const) {
      const part = { objectType: batch.objectType, operation: batch.operation, items: batch.items.slice(from, to), body: batch.body.slice(from, to) };
      await this.start(part, 0);
    }
    return 'busy';
  }

  private async poll(batch: OpenBatch): Promise<Step> {
    const jobId = batch.jobId!;
    const schedule = this.polls.get(batch.batchId)!;
    schedule.dueAt = Infinity; // not due again while this call is under way
    try {
      const answer = await this.skolverket.jobResult(batch.objectType, jobId);
      if (!isFinished(answer)) {
        schedule.count++;
        schedule.dueAt = this.timing.nextPollAt(schedule.acceptedAt, this.nowMs(), schedule.count);
        return 'busy';
      }
      const stamps = serverTiming(answer);
      if (stamps) this.timing.observe(stamps.createdMs, stamps.finishedMs);
      this.polls.delete(batch.batchId);
      await this.record({ type: 'JobResultsRecorded', data: { batchId: batch.batchId, jobId, results: notableResults(answer), at: this.at() } });
      return 'busy';
    } catch (error) {
      if (!isTransient(error) || error instanceof TokenRejectedError) throw error;
      schedule.count++;
      schedule.dueAt = this.timing.nextPollAt(schedule.acceptedAt, this.nowMs(), schedule.count);
      return 'waiting';
    }
  }

  private schedulePoll(batch: OpenBatch, acceptedAt: number): void {
    this.polls.set(batch.batchId, { dueAt: this.timing.firstPollAt(acceptedAt), count: 0, acceptedAt });
  }

  private duePoll(): OpenBatch | undefined {
    let best: { batchId: string; dueAt: number } | undefined;
    const now = this.nowMs();
    for (const [batchId, { dueAt }] of this.polls) if (dueAt <= now && (!best || dueAt < best.dueAt)) best = { batchId, dueAt };
    return best ? this.state.openBatches.get(best.batchId) : undefined;
  }

  /** Whether open jobs or ready objects earlier in the send order may still make more of this kind ready. */
  private moreMayCome(operation: 'upsert' | 'delete', objectType: ObjectType): boolean {
    const position = SEND_ORDER.findIndex((o) => o.operation === operation && o.objectType === objectType);
    const earlier = SEND_ORDER.slice(0, position);
    for (const batch of this.state.openBatches.values()) {
      if (earlier.some((o) => o.operation === batch.operation && o.objectType === batch.objectType)) return true;
    }
    return earlier.some((o) => this.worklist!.readyCount(o.operation, o.objectType) > 0);
  }

  private waitMs(): number {
    let next = this.nowMs() + (this.options.pollIntervalMs ?? 200);
    for (const { dueAt } of this.polls.values()) next = Math.min(next, dueAt);
    for (const at of this.retryAt.values()) next = Math.min(next, at);
    return Math.max(10, next - this.nowMs());
  }

  /** The client's circuit breaker, as events: `provsync status` in another process shows it. */
  private async recordAvailability(): Promise<void> {
    while (this.availabilityMoves.length) {
      const move = this.availabilityMoves.shift()!;
      if (move.available === this.state.availability.available) continue;
      if (move.available) await this.record({ type: 'SkolverketAvailable', data: { at: this.at() } });
      else await this.record({ type: 'SkolverketUnavailable', data: { reason: move.reason, at: move.since } });
    }
  }

  private record(event: SyncEvent): Promise<void> {
    const appended = this.recording.then(() => this.append(event));
    this.recording = appended.catch(() => undefined);
    return appended;
  }

  private async append(event: SyncEvent): Promise<void> {
    const { revisions } = await this.store.append([
      { stream: SYNC_STREAM, events: [{ type: event.type, data: event.data }], expectedRevision: this.revision },
    ]);
    this.revision = revisions[SYNC_STREAM];
    const open = 'batchId' in event.data ? this.state.openBatches.get(event.data.batchId) : undefined;
    evolveSync(this.state, event);
    // What Skolverket holds (or is about to) changed for the batch's objects: re-judge them and their waiters.
    const batch = event.type === 'BatchSubmissionStarted' ? event.data : event.type === 'BatchAccepted' ? undefined : open;
    if (batch && this.worklist) this.worklist.stateChanged(batch.items.map((item) => refKey({ type: batch.objectType, id: item.id })));
    this.options.onProgress?.(event);
  }

  private nowMs(): number {
    return (this.options.now?.() ?? new Date()).getTime();
  }

  private at(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }
}

function isDefiniteRefusal(error: SkolverketApiError): boolean {
  const { status } = error;
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** Errors that may pass: Skolverket unavailable or unreachable, the breaker open, limits hit. */
function isTransient(error: unknown): boolean {
  return error instanceof SkolverketError || error instanceof BrokenCircuitError;
}

