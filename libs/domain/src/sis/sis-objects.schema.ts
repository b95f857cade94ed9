import { z } from 'zod';

import type { SisEntity } from './sis-change.js';

/*
 * The SHAPE of `data` per SIS entity (sis-change-events.md): types, formats and bounds only.
 * Skolverket's business rules (check digits, allowed school types, email types, "exactly one EPPN"…)
 * belong to the desired-state projection, which decides what to send and explains why not;
 * a shape error here rejects the whole event, so the rules stay as loose as the data can be.
 * Objects are loose: attributes we do not know are kept (stored, ignored by the projection).
 * Required: each object's `id`, the names and type codes SS12000 itself requires, and the ids of
 * the links that give an object its meaning. Dates are optional: a missing one means "open-ended".
 */

export const SIS_LIMITS = {
  idChars: 100,
  nameChars: 256,
  codeChars: 100,
  emailChars: 320,
  groupMemberships: 5_000,
  groups: 500,
  list: 100,
} as const;

/** Any 8-4-4-4-12 hex id: SIS ids need not carry RFC 9562 version/variant bits. */
export const sisId = z.guid({ error: 'must be a UUID (8-4-4-4-12 hexadecimal digits)' });
export const sisDate = z.iso.date({ error: 'must be a calendar date YYYY-MM-DD' });
const text = (max: number) =>
  z
    .string({ error: 'must be a string' })
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` });
const name = text(SIS_LIMITS.nameChars);
const code = text(SIS_LIMITS.codeChars);
const list = <T extends z.ZodType>(item: T, max: number = SIS_LIMITS.list) =>
  z.array(item, { error: 'must be an array' }).max(max, { error: `must hold at most ${max} items` });
const ref = z.looseObject({ id: sisId });
const period = { startDate: sisDate.optional(), endDate: sisDate.optional() };

export const sisOrganisationSchema = z.looseObject({
  id: sisId,
  displayName: name,
  organisationType: code,
  schoolUnitCode: code.optional(),
  organisationNumber: code.optional(),
  parentOrganisation: ref.optional(),
});

export const sisEnrolmentSchema = z.looseObject({
  /** A SIS organisation id, or already a Skolverket school-unit UUID. */
  enroledAt: ref,
  schoolType: code,
  schoolYear: z
    .int({ error: 'must be a whole number' })
    .min(-1, { error: 'must be at least -1' })
    .max(99, { error: 'must be at most 99' })
    .optional(),
  educationCode: code.optional(),
  cancelled: z.boolean({ error: 'must be true or false' }).optional(),
  ...period,
});

export const sisPersonSchema = z.looseObject({
  id: sisId,
  civicNo: z
    .looseObject({ value: text(SIS_LIMITS.codeChars), nationality: code.optional() })
    .optional(),
  givenName: name,
  middleName: name.optional(),
  familyName: name,
  eduPersonPrincipalNames: list(text(SIS_LIMITS.emailChars)).optional(),
  emails: list(z.looseObject({ value: text(SIS_LIMITS.emailChars), type: code.optional() })).optional(),
  securityMarking: code.optional(),
  externalIdentifiers: list(
    z.looseObject({
      value: text(SIS_LIMITS.emailChars),
      context: text(SIS_LIMITS.nameChars),
      globallyUnique: z.boolean({ error: 'must be true or false' }).optional(),
    }),
  ).optional(),
  enrolments: list(sisEnrolmentSchema).optional(),
});

export const sisDutySchema = z.looseObject({
  id: sisId,
  person: ref,
  /** A SIS organisation id, or already a Skolverket school-unit UUID. */
  dutyAt: ref,
  dutyRole: code,
  ...period,
});

export const sisGroupMembershipSchema = z.looseObject({ person: ref, ...period });

export const sisGroupSchema = z.looseObject({
  id: sisId,
  displayName: name,
  groupType: code,
  schoolType: code.optional(),
  organisation: ref,
  ...period,
  groupMemberships: list(sisGroupMembershipSchema, SIS_LIMITS.groupMemberships).optional(),
});

export const sisTeacherSchema = z.looseObject({
  duty: ref,
  grader: z.boolean({ error: 'must be true or false' }).optional(),
  ...period,
});

export const sisActivitySchema = z.looseObject({
  id: sisId,
  displayName: name,
  activityType: code.optional(),
  organisation: ref,
  ...period,
  groups: list(ref, SIS_LIMITS.groups).optional(),
  teachers: list(sisTeacherSchema).optional(),
  /** The national-test link: a Skolverket test-activity UUID, or its open-data name (e.g. `MATMAT01a`). */
  parentActivity: z.looseObject({ id: sisId.optional(), displayName: code.optional() }).optional(),
});

export type SisOrganisation = z.infer<typeof sisOrganisationSchema>;
export type SisEnrolment = z.infer<typeof sisEnrolmentSchema>;
export type SisPerson = z.infer<typeof sisPersonSchema>;
export type SisDuty = z.infer<typeof sisDutySchema>;
export type SisGroupMembership = z.infer<typeof sisGroupMembershipSchema>;
export type SisGroup = z.infer<typeof sisGroupSchema>;
export type SisTeacher = z.infer<typeof sisTeacherSchema>;
export type SisActivity = z.infer<typeof sisActivitySchema>;

/** `data` schema per entity; `satisfies` makes a new entity in SIS_ENTITIES fail to compile until it has one. */
export const sisObjectSchemas = {
  organisation: sisOrganisationSchema,
  person: sisPersonSchema,
  duty: sisDutySchema,
  group: sisGroupSchema,
  activity: sisActivitySchema,
} as const satisfies Record<SisEntity, z.ZodType>;

export interface SisObjectByEntity extends Record<SisEntity, object> {
  organisation: SisOrganisation;
  person: SisPerson;
  duty: SisDuty;
  group: SisGroup;
  activity: SisActivity;
}
