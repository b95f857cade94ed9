import { randomUUID } from 'node:crypto';
import {
  decide, evolve, evolveReconcile, initialSyncState, isIdle, nextDueAt, type ReconcileEvent, startSyncProcess, SYNC_STREAM,
  type SyncCall, type SyncDecision, type SyncEvent, type SyncInput, type SyncProcess,
} from '@provsync/domain';
import type { EventStore } from '@provsync/event-store';
import type { Availability } from '@provsync/skolverket-client';
import { makeCall, type ProvisioningCalls, withSignal } from './provisioning-calls.js';
import { readSyncState } from './read-sync-state.js';
import type { LeaderSyncOptions } from './sync-options.js';

export type { ProvisioningCalls } from './provisioning-calls.js';
export type { DesiredSource, LeaderSyncOptions, SyncOptions } from './sync-options.js';

/**
 * Runs the sync decider (`decide` in libs/domain): feeds it the clock, desired-state changes and each call's
 * outcome, one decision at a time; records each decision's events (before its calls start, so a restart resumes
 * where the last process stopped) and starts its calls without waiting for them: calls overlap, and the client's
 * pacer keeps Skolverket's rate.
 */
export class SkolverketSync {
  private recorded = initialSyncState();
  private process?: SyncProcess;
  private revision: number | 'no_stream' = 'no_stream';
  private decisions: Promise<unknown> = Promise.resolve();
  private readonly outstanding = new Set<Promise<void>>();
  private readonly availabilityMoves: Availability[] = [];
  /** An error a call met that stops the sync (someone must act): thrown by the next step. */
  private failure?: unknown;
  private wakeUp?: () => void;

  private readonly skolverket: ProvisioningCalls;

  constructor(private readonly store: EventStore, skolverket: ProvisioningCalls, private readonly options: LeaderSyncOptions) {
    this.skolverket = options.signal ? withSignal(skolverket, options.signal) : skolverket;
    skolverket.onAvailabilityChange((move) => this.availabilityMoves.push(move));
  }

  async load(): Promise<void> {
    await this.settle();
    ({ state: this.recorded, revision: this.revision } = await readSyncState(this.store));
    this.process = undefined;
  }

  /** The recorded state as this sync has it, kept up to date as it records (for status and metrics: read only). */
  get state() {
    return this.recorded;
  }

  /** Steps until nothing can be done right now; `idle` when nothing is pending or in flight. */
  async tick(): Promise<{ idle: boolean }> {
    for (;;) {
      const step = await this.step();
      if (step !== 'busy') return { idle: step === 'idle' };
    }
  }

  /** Works until nothing is pending or in flight (or `shouldStop`). */
  runUntilIdle(shouldStop: () => boolean = () => false): Promise<void> {
    return this.loop(shouldStop, true);
  }

  /** Works until `shouldStop`, picking up new SIS changes as they are recorded. */
  run(shouldStop: () => boolean): Promise<void> {
    return this.loop(shouldStop, false);
  }

  /**
   * Records what a reconcile read at Skolverket, in turn with the sync's own records (one writer of the stream),
   * and folds it in: a completed run changes what the running sync sends next.
   */
  recordReconcile(events: ReconcileEvent[]): Promise<void> {
    const recorded = this.decisions.then(async () => {
      const { revisions } = await this.store.append([{ stream: SYNC_STREAM, events: events.map(({ type, data }) => ({ type, data })), expectedRevision: this.revision }]);
      this.revision = revisions[SYNC_STREAM]!;
      for (const event of events) {
        if (this.process) evolve(this.process, event);
        else evolveReconcile(this.recorded, event);
      }
    });
    this.decisions = recorded.catch(() => undefined);
    return recorded;
  }

  /** Waits for the calls under way and their records (before the client closes). */
  async settle(): Promise<void> {
    while (this.outstanding.size) await Promise.allSettled([...this.outstanding]);
    await this.decisions;
  }

  private async loop(shouldStop: () => boolean, untilIdle: boolean): Promise<void> {
    try {
      while (!shouldStop() && !this.options.signal?.aborted) {
        const step = await this.step();
        if (step === 'idle' && untilIdle) return;
        if (step !== 'busy') await this.pause();
      }
    } finally {
      await this.settle();
    }
  }

  private async step(): Promise<'busy' | 'waiting' | 'idle'> {
    this.options.signal?.throwIfAborted();
    const failure = this.failure;
    this.failure = undefined;
    if (failure) throw failure;
    const { desired } = this.options;
    await desired.catchUp();
    if (!this.process) this.process = startSyncProcess(this.recorded, desired.liveDesired(), this.nowMs(), this.options);
    const changed = desired.takeChanged();
    if (changed.size) await this.handle({ type: 'DesiredStateChanged', keys: changed });
    for (const input of (await this.options.outsideInputs?.(this.now().getTime())) ?? []) await this.handle(input);
    while (this.availabilityMoves.length) await this.handle({ type: 'AvailabilityChanged', availability: this.availabilityMoves.shift()! });
    const decision = await this.handle({ type: 'NextStep', newBatchId: randomUUID() });
    if (decision.events.length || decision.calls.length) return 'busy';
    return isIdle(this.process, this.nowMs()) ? 'idle' : 'waiting';
  }

  /** One decision at a time: decide, remember, record its events in order, then start its calls. */
  private handle(input: SyncInput, error?: unknown): Promise<SyncDecision> {
    const handled = this.decisions.then(async () => {
      this.options.signal?.throwIfAborted();
      const process = this.process!;
      const decision = decide(process, input, this.now());
      for (const note of decision.notes) evolve(process, note);
      if (decision.events.length) await this.record(process, decision.events);
      if (decision.stop) this.failure ??= error;
      for (const call of decision.calls) this.launch(call);
      return decision;
    });
    this.decisions = handled.catch(() => undefined);
    return handled;
  }

  private async record(process: SyncProcess, events: SyncEvent[]): Promise<void> {
    const { revisions } = await this.store.append([
      { stream: SYNC_STREAM, events: events.map(({ type, data }) => ({ type, data })), expectedRevision: this.revision },
    ]);
    this.revision = revisions[SYNC_STREAM]!;
    for (const event of events) {
      evolve(process, event);
      this.options.onProgress?.(event);
    }
  }

  /** Starts a call and goes on; its outcome is the decider's next input (a failure to record stops the sync). */
  private launch(call: SyncCall): void {
    const running: Promise<void> = makeCall(this.skolverket, call)
      .then(({ input, error }) => this.handle(input, error))
      .then(
        () => undefined,
        (error: unknown) => void (this.failure ??= error),
      )
      .finally(() => {
        this.outstanding.delete(running);
        this.wakeUp?.();
      });
    this.outstanding.add(running);
  }

  /** Sleeps until the next job query or re-send falls due, or the poll interval, or less if a call settles. */
  private pause(): Promise<void> {
    const nowMs = this.nowMs();
    const next = Math.min(nowMs + (this.options.pollIntervalMs ?? 200), this.process ? nextDueAt(this.process) : Infinity);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, Math.max(10, next - nowMs));
      this.wakeUp = done;
    });
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private nowMs(): number {
    return this.now().getTime();
  }
}
