import type { ObjectType } from '@provsync/skolverket-api';

import type { SisGraph } from './sis-graph.js';
import type { ReferenceIndex } from './reference-index.js';

export interface ObjectRef {
  type: ObjectType;
  id: string;
}

/** What the rules decided about one Skolverket object, and why. */
export interface Verdict<Body> {
  /** Present exactly when the object is sent. */
  body?: Body;
  refs: ObjectRef[];
  /** Why it is not sent, in plain words without personal data. Empty when sent. */
  reasons: string[];
  /** What was left out of it (or of the parts that were looked at). */
  notes: string[];
}

/** What the rules may read: the SIS objects, the reference data, today, and verdicts made earlier in the pass. */
export interface RuleContext {
  today: string;
  reference: ReferenceIndex;
  sis: SisGraph;
  isDutySent(dutyId: string): boolean;
  isPersonSent(personId: string): boolean;
  isGroupUsedBySentActivity(groupId: string): boolean;
}

/** Days on which the decision about one SIS object can flip with no SIS event (dates passing). */
export type Transitions = string[];

/** At most this many ids are listed in one note; the rest are counted. */
export function listIds(ids: readonly string[], max = 10): string {
  return ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')} and ${ids.length - max} more`;
}
