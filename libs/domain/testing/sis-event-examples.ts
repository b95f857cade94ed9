import type { SisEntity } from '../src/sis/sis-change.js';

/** Valid example SIS change events for tests: one upsert per entity, each with an attribute no schema knows. */

export const ORGANISER_ID = '0e4a8f5c-6d3b-4b7a-9c1e-2f3a4b5c6d7e';
export const SCHOOL_ID = '1f5b9a6d-7e4c-4c8b-8d2f-3a4b5c6d7e8f';
export const PERSON_ID = '153561da-4948-4306-9d4d-67f96fd3f0f0';
export const DUTY_ID = '2a6c0b7e-8f5d-4d9c-9e3a-4b5c6d7e8f90';
export const GROUP_ID = '3b7d1c8f-9a6e-4ea0-8f4b-5c6d7e8f9a01';
export const ACTIVITY_ID = '4c8e2d9a-0b7f-4fb1-9a5c-6d7e8f9a0b12';
/** A valid personnummer: a test must show it never reaches a reason. */
export const CIVIC_NO = '200901272385';

export const exampleData: Record<SisEntity, Record<string, unknown>> = {
  organisation: {
    id: SCHOOL_ID,
    displayName: 'Solskolan',
    organisationType: 'Skolenhet',
    schoolUnitCode: '31279295',
    parentOrganisation: { id: ORGANISER_ID },
    sisColour: 'yellow',
  },
  person: {
    id: PERSON_ID,
    civicNo: { value: CIVIC_NO, nationality: 'SE' },
    givenName: 'Lisa',
    middleName: 'Kerstin',
    familyName: 'Johansson',
    eduPersonPrincipalNames: ['lisjoh@edu.kommun.se'],
    emails: [
      { value: 'lisa.johansson@skola.kommun.se', type: 'Skola elev' },
      { value: 'lisa@example.se', type: 'Privat' },
    ],
    securityMarking: 'Ingen',
    enrolments: [
      { enroledAt: { id: SCHOOL_ID }, schoolType: 'GR', schoolYear: 6, startDate: '2020-08-17', endDate: '2026-06-12', cancelled: false },
    ],
    addresses: [{ streetAddress: 'Storgatan 1' }],
  },
  duty: {
    id: DUTY_ID,
    person: { id: PERSON_ID },
    dutyAt: { id: SCHOOL_ID },
    dutyRole: 'Lärare',
    startDate: '2024-08-01',
    signature: 'LJO',
  },
  group: {
    id: GROUP_ID,
    displayName: '6B',
    groupType: 'Klass',
    schoolType: 'GR',
    organisation: { id: SCHOOL_ID },
    startDate: '2025-08-18',
    endDate: '2026-06-12',
    groupMemberships: [{ person: { id: PERSON_ID }, startDate: '2025-08-18' }],
    room: 'B12',
  },
  activity: {
    id: ACTIVITY_ID,
    displayName: 'Matematik 6B',
    activityType: 'Undervisning',
    organisation: { id: SCHOOL_ID },
    startDate: '2025-08-18',
    groups: [{ id: GROUP_ID }],
    teachers: [{ duty: { id: DUTY_ID }, startDate: '2025-08-18', grader: true }],
    parentActivity: { displayName: 'GRGRMAT01_6' },
    minutesPerWeek: 180,
  },
};

export function exampleEvent(
  entity: SisEntity,
  action: 'upserted' | 'deleted' = 'upserted',
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const data = exampleData[entity];
  return {
    specversion: '1.0',
    id: '0b6b7a9e-2f7e-4d39-9b7e-0d6f6f1c2a11',
    source: 'urn:sis:extens:kommun-0180',
    type: `se.ss12000.${entity}.${action}`,
    subject: data['id'],
    time: '2026-08-14T07:12:03.120Z',
    sequence: '000000000000421337',
    actor: 'sis-user:anna.berg',
    datacontenttype: 'application/json',
    ...(action === 'upserted' ? { data } : {}),
    ...overrides,
  };
}
