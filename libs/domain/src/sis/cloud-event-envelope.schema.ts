import { z } from 'zod';

import { SIS_ENTITIES, type SisAction, type SisEntity } from './sis-change.js';
import { sisId } from './sis-objects.schema.js';

/*
 * The CloudEvents 1.0 envelope of sis-change-events.md. Strict: the contract names no extension
 * attributes besides `sequence` and `actor`, so an unknown one is far more likely a typo
 * (`subjet`, `sequense`) than a real extension, and a typo must not pass silently.
 */

const SIS_TYPE = new RegExp(`^se\\.ss12000\\.(${SIS_ENTITIES.join('|')})\\.(upserted|deleted)$`);
/** An absolute URI (`urn:…`, `https://…`) or, as CloudEvents allows, a reference such as `/sis/x`. */
const URI_REFERENCE = /^(?:[A-Za-z][A-Za-z0-9+.-]*:|\/)[^\s]*$/;
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;.*)?$/i;

const bounded = (max: number) =>
  z
    .string({ error: 'must be a string' })
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` });

export const cloudEventEnvelopeSchema = z.strictObject({
  specversion: z.literal('1.0', { error: 'must be "1.0" (CloudEvents 1.0)' }),
  id: bounded(256),
  source: bounded(2048).regex(URI_REFERENCE, { error: 'must be a URI naming the SIS instance, e.g. urn:sis:…' }),
  type: z
    .string({ error: 'must be a string' })
    .regex(SIS_TYPE, {
      error: `must be se.ss12000.<entity>.upserted or se.ss12000.<entity>.deleted, entity one of ${SIS_ENTITIES.join(', ')}`,
    }),
  subject: sisId,
  time: z.iso.datetime({
    offset: true,
    error: 'must be an RFC 3339 date-time with a time zone, e.g. 2026-08-14T07:12:03.120Z',
  }),
  sequence: z
    .string({ error: 'must be a string of digits' })
    .regex(/^\d{1,40}$/, { error: 'must be a string of 1 to 40 digits' })
    .optional(),
  actor: bounded(256).optional(),
  datacontenttype: z
    .string({ error: 'must be a string' })
    .regex(JSON_MEDIA_TYPE, { error: 'must be application/json: data is a JSON object' })
    .optional(),
  /** Checked against the entity's schema once `type` is known. */
  data: z.unknown().optional(),
});

export type CloudEventEnvelope = z.infer<typeof cloudEventEnvelopeSchema>;

export function entityAndAction(type: string): { entity: SisEntity; action: SisAction } | undefined {
  const match = SIS_TYPE.exec(type);
  if (!match) return undefined;
  return { entity: match[1] as SisEntity, action: match[2] as SisAction };
}
