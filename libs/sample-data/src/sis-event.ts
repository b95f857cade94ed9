import type { SampleEntity, SampleObjectByEntity } from './sis-objects.js';

/** A CloudEvents 1.0 SIS change event as plain JSON (sis-change-events.md). */
export interface SisEvent<E extends SampleEntity = SampleEntity> {
  specversion: '1.0';
  id: string;
  source: string;
  type: `se.ss12000.${E}.upserted`;
  subject: string;
  time: string;
  sequence: string;
  actor: string;
  datacontenttype: 'application/json';
  data: SampleObjectByEntity[E];
}

export type AnySisEvent = { [E in SampleEntity]: SisEvent<E> }[SampleEntity];

export const SEQUENCE_DIGITS = 18;

export function formatSequence(sequence: number): string {
  return String(sequence).padStart(SEQUENCE_DIGITS, '0');
}

export function entityOf(event: AnySisEvent): SampleEntity {
  return event.type.split('.')[2] as SampleEntity;
}

export interface EnvelopeFields {
  id: string;
  source: string;
  sequence: number;
  time: string;
  actor: string;
}

export function upserted<E extends SampleEntity>(
  entity: E,
  data: SampleObjectByEntity[E],
  fields: EnvelopeFields,
): SisEvent<E> {
  return {
    specversion: '1.0',
    id: fields.id,
    source: fields.source,
    type: `se.ss12000.${entity}.upserted`,
    subject: data.id,
    time: fields.time,
    sequence: formatSequence(fields.sequence),
    actor: fields.actor,
    datacontenttype: 'application/json',
    data,
  };
}
