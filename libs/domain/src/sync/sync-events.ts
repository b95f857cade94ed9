import type { ObjectType, ObjectStatus } from '@provsync/skolverket-api';
import type { HoldEvent } from './hold-events.js';

export type Operation = 'upsert' | 'delete';

export interface ObjectRef {
  type: ObjectType;
  id: string;
}

/** One object of a batch: what was sent (its content hash) and what it refers to at Skolverket. */
export interface BatchItem {
  id: string;
  hash: string;
  refs: ObjectRef[];
}

/** A short, personal-data-free account of what Skolverket said about one object. */
export interface SkolverketMessage {
  message: string;
  attributeName?: string;
  resourceType?: string;
  resourceId?: string;
  attributeValue?: string;
}

export interface ObjectResult {
  id: string;
  status: ObjectStatus;
  /** Skolverket's HTTP status for the object (recorded from 2026-12 on; older results lack it). */
  statusCode?: number;
  errors?: SkolverketMessage[];
  warnings?: SkolverketMessage[];
}

export const SYNC_STREAM = 'skolverket-sync';

/** Recorded before the call, so a crash after Skolverket accepted the batch re-sends exactly this batch. */
export interface BatchSubmissionStarted {
  type: 'BatchSubmissionStarted';
  data: { batchId: string; objectType: ObjectType; operation: Operation; items: BatchItem[]; body: unknown[]; at: string };
}

/** Skolverket took the batch as an asynchronous job. */
export interface BatchAccepted {
  type: 'BatchAccepted';
  data: { batchId: string; jobId: string; at: string };
}

/** Skolverket refused the whole call; `retry` says whether its objects go back to pending or are parked. */
export interface BatchRefused {
  type: 'BatchRefused';
  data: { batchId: string; retry: boolean; reason: string; at: string };
}

/** The finished job's outcome per object; an object the job did not list succeeded. */
export interface JobResultsRecorded {
  type: 'JobResultsRecorded';
  data: { batchId: string; jobId: string; results: ObjectResult[]; at: string };
}

/** The client's circuit breaker opened: Skolverket kept answering 503 or not at all; calls pause. */
export interface SkolverketUnavailable {
  type: 'SkolverketUnavailable';
  data: { reason: string; at: string };
}

/** The circuit breaker closed again: a probing call got through. */
export interface SkolverketAvailable {
  type: 'SkolverketAvailable';
  data: { at: string };
}

export type SyncEvent =
  | BatchSubmissionStarted
  | BatchAccepted
  | BatchRefused
  | JobResultsRecorded
  | SkolverketUnavailable
  | SkolverketAvailable
  | HoldEvent;
export const SYNC_EVENT_TYPES: readonly SyncEvent['type'][] = [
  'BatchSubmissionStarted',
  'BatchAccepted',
  'BatchRefused',
  'JobResultsRecorded',
  'SkolverketUnavailable',
  'SkolverketAvailable',
  'HoldPlaced',
  'HoldApproved',
  'HoldRejected',
];

/** `type:` once per type: a template's `${type}:` was a fresh 24-byte string in every one of 400,000 keys. */
const KEY_PREFIX: Record<ObjectType, string> = { person: 'person:', duty: 'duty:', group: 'group:', activity: 'activity:' };

export const refKey = (ref: ObjectRef): string => (KEY_PREFIX[ref.type] ?? `${ref.type}:`) + ref.id;
