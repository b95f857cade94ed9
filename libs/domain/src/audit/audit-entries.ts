import type { ObjectType } from '@provsync/skolverket-api';
import type { Receipt } from '../recording/recording-events.js';
import type { SisAction, SisChange, SisEntity } from '../sis/sis-change.js';
import type { ObjectRef, SkolverketMessage, SyncEvent } from '../sync/sync-events.js';
import { changedFields } from './field-diff.js';

/** One line of an entity's or a person's history. `at` is an ISO time; entries are listed in the order recorded. */
export type AuditEntry = SisChangeEntry | DesiredEntry | SentEntry | AcceptedEntry | AnswerEntry | RefusedEntry | AccessEntry;

/** A SIS change as received: who made it, when, where it came from, which fields it changed, and what became of it. */
export interface SisChangeEntry {
  kind: 'sis-change';
  /** The change's time in the SIS. */
  at: string;
  sisId: string;
  entity: SisEntity;
  action: SisAction;
  actor: string | null;
  /** The CloudEvent's source and id (together its de-duplication key), and its sequence when it had one. */
  source: string;
  id: string;
  sequence?: string;
  /** `applied`: it became the entity's state; `older`: an older change than the one applied, kept, changing nothing. */
  outcome: 'applied' | 'older';
  /** Names of the fields it changed against the version before it (for `older`: against the applied one). */
  fields: string[];
  /** How provsync received it: channel, time, Kafka topic/partition/offset or file and line. */
  receipt: Receipt;
  /** When the event store recorded it. */
  recordedAt: string;
}

/** What a change did to what Skolverket should hold, with the rules' reasons when it is not (or no longer) sent. */
export interface DesiredEntry {
  kind: 'desired';
  at: string;
  sisId: string;
  object: ObjectRef;
  change: 'now-sent' | 'no-longer-sent' | 'changed';
  /** Fields of the Skolverket object that changed (for `changed`, and those a new object has). */
  fields: string[];
  reasons: string[];
}

export interface SentEntry {
  kind: 'sent';
  at: string;
  sisId: string;
  object: ObjectRef;
  operation: 'upsert' | 'delete';
  batchId: string;
}

export interface AcceptedEntry {
  kind: 'accepted';
  at: string;
  sisId: string;
  object: ObjectRef;
  batchId: string;
  jobId: string;
}

export interface AnswerEntry {
  kind: 'answer';
  at: string;
  sisId: string;
  object: ObjectRef;
  batchId: string;
  jobId: string;
  status: string;
  messages: string[];
}

/** Skolverket refused the whole call the object was in. */
export interface RefusedEntry {
  kind: 'refused';
  at: string;
  sisId: string;
  object: ObjectRef;
  batchId: string;
  reason: string;
  retry: boolean;
}

/** Someone was shown this entity's personal data. */
export interface AccessEntry {
  kind: 'access';
  at: string;
  sisId: string;
  who: string;
  command: string;
  protectedShown: boolean;
}

/** A SIS change event as an audit entry; `previous` is the version it is compared with (undefined/null: none). */
export function sisChangeEntry(
  outcome: 'applied' | 'older',
  change: SisChange,
  receipt: Receipt,
  recordedAt: string,
  previous: Record<string, unknown> | null | undefined,
): SisChangeEntry {
  return {
    kind: 'sis-change',
    at: change.time,
    sisId: change.subject,
    entity: change.entity,
    action: change.action,
    actor: change.actor ?? null,
    source: change.source,
    id: change.id,
    ...(change.sequence !== undefined ? { sequence: change.sequence } : {}),
    outcome,
    fields: changedFields(previous ?? {}, change.data ?? {}),
    receipt,
    recordedAt,
  };
}

/** Whether a Skolverket object was sent before and after, and its body each time. */
export interface DesiredSide {
  body?: unknown;
}

/** The desired-state difference of one Skolverket object, or undefined when nothing about it changed. */
export function desiredEntry(
  sisId: string,
  object: ObjectRef,
  before: DesiredSide,
  after: DesiredSide,
  reasons: readonly string[],
  at: string,
): DesiredEntry | undefined {
  const base = { kind: 'desired' as const, at, sisId, object };
  if (before.body === undefined && after.body === undefined) return undefined;
  if (before.body === undefined) return { ...base, change: 'now-sent', fields: changedFields({}, after.body), reasons: [] };
  if (after.body === undefined) return { ...base, change: 'no-longer-sent', fields: [], reasons: [...reasons] };
  const fields = changedFields(before.body, after.body);
  return fields.length ? { ...base, change: 'changed', fields, reasons: [] } : undefined;
}

/** What the audit keeps of a batch to tell later events about it: its objects, operation and job. */
export interface BatchRecord {
  objectType: ObjectType;
  operation: 'upsert' | 'delete';
  ids: string[];
  jobId?: string;
}

type ObjectEntry = SentEntry | AcceptedEntry | AnswerEntry | RefusedEntry;
/** An entry about one Skolverket object, before the SIS id it is made from is known. */
export type SyncObjectEntry = { [K in ObjectEntry['kind']]: Omit<Extract<ObjectEntry, { kind: K }>, 'sisId'> }[ObjectEntry['kind']];

/**
 * The per-object entries of one sync event, given what is known of its batch (from its BatchSubmissionStarted).
 * An object a finished job did not list succeeded (Skolverket lists only those with something to say).
 */
export function syncEventEntries(event: SyncEvent, batch: BatchRecord | undefined): SyncObjectEntry[] {
  switch (event.type) {
    case 'BatchSubmissionStarted': {
      const { batchId, objectType, operation, items, at } = event.data;
      return items.map((item) => ({ kind: 'sent', at, object: { type: objectType, id: item.id }, operation, batchId }));
    }
    case 'BatchAccepted': {
      const { batchId, jobId, at } = event.data;
      return objectsOf(batch).map((object) => ({ kind: 'accepted', at, object, batchId, jobId }));
    }
    case 'BatchRefused': {
      const { batchId, retry, reason, at } = event.data;
      return objectsOf(batch).map((object) => ({ kind: 'refused', at, object, batchId, reason, retry }));
    }
    case 'JobResultsRecorded': {
      const { batchId, jobId, results, at } = event.data;
      if (!batch) return [];
      const byId = new Map(results.map((r) => [r.id, r]));
      const objects = objectsOf(batch);
      const listed = results.filter((r) => !batch.ids.includes(r.id)).map((r): ObjectRef => ({ type: batch.objectType, id: r.id }));
      return [...objects, ...listed].map((object) => {
        const result = byId.get(object.id);
        const messages = [...(result?.errors ?? []), ...(result?.warnings ?? [])].map(messageText);
        return { kind: 'answer', at, object, batchId, jobId, status: result?.status ?? 'Success', messages };
      });
    }
    case 'SkolverketUnavailable':
    case 'SkolverketAvailable':
    case 'HoldPlaced':
    case 'HoldApproved':
    case 'HoldRejected':
      return [];
    default: {
      const unknown: never = event;
      throw new Error(`unknown sync event ${String((unknown as { type: string }).type)}`);
    }
  }
}

const objectsOf = (batch: BatchRecord | undefined): ObjectRef[] => (batch ? batch.ids.map((id) => ({ type: batch.objectType, id })) : []);

const messageText = (m: SkolverketMessage): string => (m.attributeName ? `${m.attributeName}: ${m.message}` : m.message);
