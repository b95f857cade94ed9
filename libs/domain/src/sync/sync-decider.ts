import type { ObjectType } from '@provsync/skolverket-api';
import { guardDeletes } from './hold-guard-step.js';
import type { HoldApproved, HoldRejected, ReferenceDataLoss } from './hold-events.js';
import type { ObjectResult, Operation, SyncEvent } from './sync-events.js';
import type { JobQuery, SyncNote, SyncProcess } from './sync-process.js';
import type { OpenBatch, SkolverketAvailability } from './sync-state.js';
import { SEND_ORDER } from './sync-worklist.js';

/** Why a call to Skolverket brought no usable answer, as the runner read the error. */
export type CallFailure =
  | { kind: 'payload-too-large'; bodyBytes: number; message: string }
  | { kind: 'token-refused'; message: string }
  /** Any other answer with a status (4xx, 429, 5xx). */
  | { kind: 'status'; status: number; message: string }
  /** No answer: unreachable, the circuit breaker open, the authorisation server failing. */
  | { kind: 'unavailable'; message: string }
  /** Not Skolverket's doing (a fault in provsync itself). */
  | { kind: 'unexpected'; message: string };

export type SyncInput =
  /** The clock ticked or a call settled: what is the most useful call now? `newBatchId` names a batch it starts. */
  | { type: 'NextStep'; newBatchId: string }
  | { type: 'DesiredStateChanged'; keys: Iterable<string> }
  | { type: 'SubmissionAccepted'; batchId: string; jobId: string }
  | { type: 'SubmissionFailed'; batchId: string; failure: CallFailure }
  /** A status call's answer: the objects that did not simply succeed (`Pending` while the job still runs). */
  | { type: 'JobAnswered'; batchId: string; jobId: string; results: ObjectResult[]; serverTiming?: { createdMs: number; finishedMs: number } }
  | { type: 'JobQueryFailed'; batchId: string; failure: CallFailure }
  /** The client's circuit breaker moved. */
  | { type: 'AvailabilityChanged'; availability: SkolverketAvailability }
  /** Skolverket's open data no longer lists what the desired state rested on: the deletes it causes are held. */
  | { type: 'ReferenceDataLost'; lost: ReferenceDataLoss }
  /** An operator decided a hold (`provsync holds`), recorded on its own stream while this sync ran. */
  | { type: 'HoldDecided'; event: HoldApproved | HoldRejected };

export type SyncCall =
  | { type: 'Submit'; batchId: string; objectType: ObjectType; operation: Operation; body: unknown[] }
  | { type: 'QueryJob'; batchId: string; objectType: ObjectType; jobId: string };

export interface SyncDecision {
  /** To record, in this order, before any of the calls starts. */
  events: SyncEvent[];
  /** To apply to the process's working memory (not recorded). */
  notes: SyncNote[];
  calls: SyncCall[];
  /** The sync stops with the call's error: someone must act (the batch stays open for the next run). */
  stop?: string;
  /** A late or duplicate answer, and why it changes nothing. */
  ignored?: string;
}

/** The sync process manager: given its state, an input and the time, the calls to make and the events to record. */
export function decide(state: SyncProcess, input: SyncInput, now: Date): SyncDecision {
  switch (input.type) {
    case 'NextStep':
      return nextStep(state, input.newBatchId, now);
    case 'DesiredStateChanged':
      return decision({ notes: [{ type: 'DesiredStateChanged', keys: input.keys }] });
    case 'SubmissionAccepted': {
      const settled: SyncNote = { type: 'CallSettled', batchId: input.batchId };
      const batch = state.recorded.openBatches.get(input.batchId);
      if (!batch) return decision({ notes: [settled], ignored: `batch ${input.batchId} is no longer open` });
      if (batch.jobId) return decision({ notes: [settled], ignored: `batch ${input.batchId} was already accepted as job ${batch.jobId}` });
      const nowMs = now.getTime();
      return decision({
        events: [{ type: 'BatchAccepted', data: { batchId: batch.batchId, jobId: input.jobId, at: now.toISOString() } }],
        notes: [settled, { type: 'JobQueryScheduled', batchId: batch.batchId, dueAt: state.timing.firstPollAt(nowMs), queries: 0, acceptedAt: nowMs }],
      });
    }
    case 'SubmissionFailed':
      return submissionFailed(state, input.batchId, input.failure, now);
    case 'JobAnswered':
      return jobAnswered(state, input, now);
    case 'JobQueryFailed': {
      const settled: SyncNote = { type: 'CallSettled', batchId: input.batchId };
      const query = state.jobQueries.get(input.batchId);
      if (!query) return decision({ notes: [settled], ignored: `no job of batch ${input.batchId} is awaited` });
      if (input.failure.kind === 'token-refused' || input.failure.kind === 'unexpected') return decision({ notes: [settled], stop: input.failure.message });
      return decision({ notes: [settled, askAgain(state, input.batchId, query, now.getTime())] });
    }
    case 'AvailabilityChanged': {
      const move = input.availability;
      if (move.available === state.recorded.availability.available) return decision({ ignored: `already recorded as ${move.available ? 'available' : 'unavailable'}` });
      const event: SyncEvent = move.available
        ? { type: 'SkolverketAvailable', data: { at: now.toISOString() } }
        : { type: 'SkolverketUnavailable', data: { reason: move.reason, at: move.since } };
      return decision({ events: [event] });
    }
    case 'ReferenceDataLost':
      return decision({ notes: [{ type: 'ReferenceDataLost', lost: input.lost }] });
    case 'HoldDecided': {
      const hold = state.recorded.holds.holds.get(input.event.data.holdId);
      if (!hold || hold.decision) return decision({ ignored: `hold ${input.event.data.holdId} is ${hold ? 'already decided' : 'unknown'}` });
      return decision({ notes: [{ type: 'HoldDecided', event: input.event }] });
    }
    default: {
      const exhaustive: never = input;
      return exhaustive;
    }
  }
}

/**
 * One call at a time, the most useful first: a batch whose submission was never answered, else a job due for
 * its (one, well-timed) status call, else the next batch in dependency order, so Person batches keep flowing
 * while Duty batches start for the Persons already acknowledged.
 */
function nextStep(state: SyncProcess, newBatchId: string, now: Date): SyncDecision {
  const nowMs = now.getTime();
  if (state.calling.size >= state.tuning.maxOutstandingCalls) return decision({});
  for (const batch of state.recorded.openBatches.values()) {
    if (!batch.jobId && !state.calling.has(batch.batchId) && (state.resendAt.get(batch.batchId) ?? 0) <= nowMs) return submit(batch);
  }
  const due = dueJobQuery(state, nowMs);
  if (due) {
    return decision({
      notes: [{ type: 'CallStarted', batchId: due.batchId }],
      calls: [{ type: 'QueryJob', batchId: due.batchId, objectType: due.objectType, jobId: due.jobId! }],
    });
  }
  const guard = guardDeletes(state, nowMs, now.toISOString());
  if (guard.last) return decision({ events: guard.events, notes: guard.notes });
  const next = state.worklist.take({
    maxBatchBytes: state.maxBatchBytes,
    nowMs,
    maxHoldMs: state.tuning.maxHoldMs,
    moreMayCome: (operation, objectType) => moreMayCome(state, operation, objectType),
  });
  if (!next) return decision({ notes: guard.notes });
  const at = now.toISOString();
  const started: SyncEvent = { type: 'BatchSubmissionStarted', data: { batchId: newBatchId, ...next.batch, at } };
  if (next.batch.items.length === 1 && next.bytes > state.maxBatchBytes) {
    const reason =
      `The object is ${next.bytes} bytes as JSON, over Skolverket's limit of 204,800 bytes per call, and was not sent. ` +
      'Make it smaller in the SIS (for a group: fewer members); it is sent again when it changes';
    return decision({ events: [started, { type: 'BatchRefused', data: { batchId: newBatchId, retry: false, reason, at } }], notes: guard.notes });
  }
  return decision({
    events: [started],
    notes: [...guard.notes, { type: 'CallStarted', batchId: newBatchId }],
    calls: [{ type: 'Submit', batchId: newBatchId, objectType: next.batch.objectType, operation: next.batch.operation, body: next.batch.body }],
  });
}

function submit(batch: OpenBatch): SyncDecision {
  const { batchId, objectType, operation, body } = batch;
  return decision({ notes: [{ type: 'CallStarted', batchId }], calls: [{ type: 'Submit', batchId, objectType, operation, body }] });
}

function submissionFailed(state: SyncProcess, batchId: string, failure: CallFailure, now: Date): SyncDecision {
  const settled: SyncNote = { type: 'CallSettled', batchId };
  const batch = state.recorded.openBatches.get(batchId);
  if (!batch) return decision({ notes: [settled], ignored: `batch ${batchId} is no longer open` });
  if (batch.jobId) return decision({ notes: [settled], ignored: `batch ${batchId} was already accepted as job ${batch.jobId}` });
  const at = now.toISOString();
  const refuse = (reason: string): SyncDecision =>
    decision({ events: [{ type: 'BatchRefused', data: { batchId, retry: false, reason, at } }], notes: [settled] });
  switch (failure.kind) {
    case 'payload-too-large':
      return batch.items.length > 1 ? split(batch, failure.bodyBytes, at, settled) : refuse(failure.message);
    // Not the objects' fault: the batch stays open, and the sync stops with the error for someone to act on.
    case 'token-refused':
    case 'unexpected':
      return decision({ notes: [settled], stop: failure.message });
    // A definite refusal ends the batch; anything else may or may not have reached Skolverket, so the batch
    // stays open and is sent again shortly (upserts and deletes are idempotent).
    case 'status':
      if (failure.status >= 400 && failure.status < 500 && failure.status !== 408 && failure.status !== 429) return refuse(failure.message);
      break;
    case 'unavailable':
      break;
    default: {
      const exhaustive: never = failure;
      return exhaustive;
    }
  }
  return decision({ notes: [settled, { type: 'ResendScheduled', batchId, at: now.getTime() + state.tuning.resendAfterMs }] });
}

/** 413: Skolverket's limit is below what we packed for. The halves go as new batches; pack smaller from now on. */
function split(batch: OpenBatch, bodyBytes: number, at: string, settled: SyncNote): SyncDecision {
  const reason = `Skolverket answered 413 for ${bodyBytes} bytes; sent again as two halves`;
  const half = Math.ceil(batch.items.length / 2);
  const halves = ([[0, half], [half, batch.items.length]] as const).map(
    ([from, to], n): SyncEvent => ({
      type: 'BatchSubmissionStarted',
      data: {
        batchId: `${batch.batchId}.${n + 1}`,
        objectType: batch.objectType,
        operation: batch.operation,
        items: batch.items.slice(from, to),
        body: batch.body.slice(from, to),
        at,
      },
    }),
  );
  return decision({
    events: [{ type: 'BatchRefused', data: { batchId: batch.batchId, retry: true, reason, at } }, ...halves],
    notes: [settled, { type: 'PackingLimitLowered', maxBatchBytes: Math.floor(bodyBytes * 0.9) }],
  });
}

function jobAnswered(state: SyncProcess, input: Extract<SyncInput, { type: 'JobAnswered' }>, now: Date): SyncDecision {
  const { batchId, jobId, results } = input;
  const settled: SyncNote = { type: 'CallSettled', batchId };
  const batch = state.recorded.openBatches.get(batchId);
  const query = state.jobQueries.get(batchId);
  if (!batch || !query || batch.jobId !== jobId) return decision({ notes: [settled], ignored: `job ${jobId} of batch ${batchId} is not awaited` });
  if (results.some((r) => r.status === 'Pending')) return decision({ notes: [settled, askAgain(state, batchId, query, now.getTime())] });
  const notes: SyncNote[] = [settled];
  if (input.serverTiming) notes.push({ type: 'JobDelayObserved', ...input.serverTiming });
  return decision({ events: [{ type: 'JobResultsRecorded', data: { batchId, jobId, results, at: now.toISOString() } }], notes });
}

function askAgain(state: SyncProcess, batchId: string, query: JobQuery, nowMs: number): SyncNote {
  const queries = query.queries + 1;
  return { type: 'JobQueryScheduled', batchId, dueAt: state.timing.nextPollAt(query.acceptedAt, nowMs, queries), queries, acceptedAt: query.acceptedAt };
}

function dueJobQuery(state: SyncProcess, nowMs: number): OpenBatch | undefined {
  let best: { batchId: string; dueAt: number } | undefined;
  for (const [batchId, { dueAt }] of state.jobQueries) {
    if (dueAt <= nowMs && !state.calling.has(batchId) && (!best || dueAt < best.dueAt)) best = { batchId, dueAt };
  }
  return best ? state.recorded.openBatches.get(best.batchId) : undefined;
}

/** Whether open jobs or ready objects earlier in the send order may still make more of this kind ready. */
function moreMayCome(state: SyncProcess, operation: Operation, objectType: ObjectType): boolean {
  const position = SEND_ORDER.findIndex((o) => o.operation === operation && o.objectType === objectType);
  const earlier = SEND_ORDER.slice(0, position);
  for (const batch of state.recorded.openBatches.values()) {
    if (earlier.some((o) => o.operation === batch.operation && o.objectType === batch.objectType)) return true;
  }
  return earlier.some((o) => state.worklist.readyCount(o.operation, o.objectType) > 0);
}

function decision(parts: Partial<SyncDecision>): SyncDecision {
  return { events: [], notes: [], calls: [], ...parts };
}
