import type { InputProblem, SisChange, SisEntity } from '../sis/sis-change.js';

/** Where and when provsync received a SIS change: the audit trail's "where from". */
export interface Receipt {
  channel: 'kafka' | 'file' | 'http';
  receivedAt: string;
  kafka?: { topic: string; partition: number; offset: string; key?: string };
  file?: { name: string; line: number };
}

export const SIS_CHANGE_RECORDED = 'SisChangeRecorded';
export const OUT_OF_ORDER_SIS_CHANGE_RECORDED = 'OutOfOrderSisChangeRecorded';
export const SIS_INPUT_REJECTED = 'SisInputRejected';

/** A change that became the entity's current state. */
export interface SisChangeRecorded {
  type: typeof SIS_CHANGE_RECORDED;
  data: { change: SisChange; receipt: Receipt };
}

/** A change older than the one already applied: kept for the audit trail, changes nothing. */
export interface OutOfOrderSisChangeRecorded {
  type: typeof OUT_OF_ORDER_SIS_CHANGE_RECORDED;
  data: { change: SisChange; receipt: Receipt; supersededBy: ChangeOrder };
}

/** Input that broke the contract, kept whole (up to a bound) with the reasons. */
export interface SisInputRejected {
  type: typeof SIS_INPUT_REJECTED;
  data: {
    problems: InputProblem[];
    /** The input as received, cut at a bound (`truncated`); `rawBytes` and `rawSha256` describe the whole. */
    raw: string;
    rawBytes: number;
    rawSha256: string;
    truncated: boolean;
    headers: Record<string, string | undefined> | null;
    receipt: Receipt;
  };
}

export type EntityStreamEvent = SisChangeRecorded | OutOfOrderSisChangeRecorded;

/** What orders changes to one entity: the source's sequence when present, else the change time. */
export interface ChangeOrder {
  source: string;
  sequence?: string;
  time: string;
}

export const REJECTED_INPUTS_STREAM = 'sis-rejected-inputs';

export function entityStream(entity: SisEntity, subject: string): string {
  return `sis-${entity}-${subject}`;
}

/** The store-wide de-duplication key of a SIS change: the same (source, id) is recorded once. */
export function deduplicationKey(change: Pick<SisChange, 'source' | 'id'>): string {
  return `sis:${JSON.stringify([change.source, change.id])}`;
}
