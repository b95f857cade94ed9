import type { SisObjectByEntity } from './sis-objects.schema.js';

/** One validated SIS change event (sis-change-events.md), reduced to what provsync works with. */
export const SIS_ENTITIES = ['organisation', 'person', 'duty', 'group', 'activity'] as const;
export type SisEntity = (typeof SIS_ENTITIES)[number];
export type SisAction = 'upserted' | 'deleted';

export interface SisChange<Data = Record<string, unknown>> {
  entity: SisEntity;
  action: SisAction;
  /** The entity's SIS id (CloudEvents `subject`). */
  subject: string;
  /** CloudEvents `source` and `id`: together the de-duplication key. */
  source: string;
  id: string;
  /** RFC 3339 time of the change in the SIS. */
  time: string;
  /** Per-source counter, compared as a zero-padded string. */
  sequence?: string;
  actor?: string;
  /** The whole SS12000 object after the change; null on deletes. */
  data: Data | null;
}

/** Why an input was refused: the field (a JSON path such as `data.enrolments[0].schoolYear`) and the reason. */
export interface InputProblem {
  field: string;
  reason: string;
}

export type ParsedInput = { ok: true; change: SisChange } | { ok: false; problems: InputProblem[] };

/** A SisChange whose `data` has its entity's type: narrow on `entity` to read it. */
export type TypedSisChange = {
  [E in SisEntity]: SisChange<SisObjectByEntity[E]> & { entity: E };
}[SisEntity];
