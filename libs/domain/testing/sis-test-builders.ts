/* Test support: small builders for SIS objects, reference data and changes. Not exported from the lib. */
import type { ReferenceData } from '../src/reference/reference-data.js';
import type { SisChange, SisEntity } from '../src/sis/sis-change.js';
import type { SisActivity, SisDuty, SisGroup, SisOrganisation, SisPerson } from '../src/sis/sis-objects.schema.js';
import { DesiredStateProjection, type ProjectionOptions } from '../src/desired-state/desired-state-projection.js';
import { NIL_NAMESPACE, schoolUnitUuid, testActivityUuid, uuidv5 } from '../src/desired-state/uuid-v5.js';

export const TODAY = '2026-09-01';
/** A readable name → a stable UUID, so tests can say `id('pupil-1')`. */
export const id = (name: string): string => uuidv5(`test:${name}`, NIL_NAMESPACE);

/** School unit codes: OUR_GR (GR 1–9), OUR_GY (GY), and one that belongs to another organiser. */
export const OUR_GR = '11111111';
export const OUR_GY = '22222222';
export const OTHER_ORGANISERS = '99999999';

export function reference(overrides: Partial<ReferenceData> = {}): ReferenceData {
  return {
    organiser: { id: uuidv5('2120000142', NIL_NAMESPACE), organisationNumber: '2120000142' },
    schoolUnits: [
      {
        id: schoolUnitUuid(OUR_GR),
        displayName: 'Grundskolan',
        schoolUnitCode: OUR_GR,
        schoolTypes: [{ schoolType: 'GR', schoolYears: [1, 2, 3, 4, 5, 6, 7, 8, 9].map((schoolYear) => ({ schoolYear })) }],
      },
      { id: schoolUnitUuid(OUR_GY), displayName: 'Gymnasiet', schoolUnitCode: OUR_GY, schoolTypes: [{ schoolType: 'GY' }] },
    ],
    programmes: [
      { id: uuidv5('NA', NIL_NAMESPACE), displayName: 'Naturvetenskap', educationCode: 'NA', status: 'Active', validFrom: '2011-07-01T00:00:00+02:00' },
      { id: uuidv5('OLD', NIL_NAMESPACE), displayName: 'Gammal', educationCode: 'OLD', status: 'Expired' },
      { id: uuidv5('NEW', NIL_NAMESPACE), displayName: 'Ny', educationCode: 'NEW', status: 'Active', validFrom: '2026-10-01T00:00:00+02:00' },
    ],
    testActivities: [
      { id: testActivityUuid('GRGRMAT01_6'), displayName: 'GRGRMAT01_6', activityType: 'Provaktivitet', schoolType: 'GR', schoolYear: 6 },
      { id: testActivityUuid('MATMAT01a'), displayName: 'MATMAT01a', activityType: 'Provaktivitet', schoolType: 'GY' },
    ],
    fetchedAt: '2026-08-31T06:00:00Z',
    ...overrides,
  };
}

export const schoolUnitOrg = (code: string, o: Partial<SisOrganisation> = {}): SisOrganisation => ({
  id: id(`org-${code}`),
  displayName: `Skolenhet ${code}`,
  organisationType: 'Skolenhet',
  schoolUnitCode: code,
  ...o,
});

/** A valid personnummer (Luhn check digit computed) for a birth date and serial. */
export function civicNo(yyyymmdd: string, serial = '123'): string {
  const nine = `${yyyymmdd.slice(2)}${serial}`;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return `${yyyymmdd}${serial}${(10 - (sum % 10)) % 10}`;
}

export const pupil = (name: string, o: Partial<SisPerson> = {}): SisPerson => ({
  id: id(name),
  civicNo: { value: civicNo('20140321'), nationality: 'SE' },
  givenName: 'Elev',
  familyName: 'Elevsson',
  eduPersonPrincipalNames: [`${name}@edu.kommun.se`],
  emails: [{ value: `${name}@elev.kommun.se`, type: 'Skola elev' }],
  enrolments: [{ enroledAt: { id: id(`org-${OUR_GR}`) }, schoolType: 'GR', schoolYear: 6, startDate: '2020-08-15' }],
  ...o,
});

export const teacher = (name: string, o: Partial<SisPerson> = {}): SisPerson => ({
  id: id(name),
  civicNo: { value: civicNo('19800101', '456'), nationality: 'SE' },
  givenName: 'Lärare',
  familyName: 'Lärarsson',
  eduPersonPrincipalNames: [`${name}@personal.kommun.se`],
  emails: [{ value: `${name}@kommun.se`, type: 'Skola personal' }],
  ...o,
});

export const duty = (name: string, personName: string, o: Partial<SisDuty> = {}): SisDuty => ({
  id: id(name),
  person: { id: id(personName) },
  dutyAt: { id: id(`org-${OUR_GR}`) },
  dutyRole: 'Lärare',
  startDate: '2020-08-01',
  ...o,
});

export const group = (name: string, memberNames: string[], o: Partial<SisGroup> = {}): SisGroup => ({
  id: id(name),
  displayName: name,
  groupType: 'Klass',
  schoolType: 'GR',
  organisation: { id: id(`org-${OUR_GR}`) },
  startDate: '2026-08-15',
  groupMemberships: memberNames.map((m) => ({ person: { id: id(m) }, startDate: '2026-08-15' })),
  ...o,
});

export const activity = (name: string, groupNames: string[], dutyNames: string[], o: Partial<SisActivity> = {}): SisActivity => ({
  id: id(name),
  displayName: name,
  activityType: 'Undervisning',
  organisation: { id: id(`org-${OUR_GR}`) },
  startDate: '2026-08-15',
  groups: groupNames.map((g) => ({ id: id(g) })),
  teachers: dutyNames.map((d) => ({ duty: { id: id(d) } })),
  parentActivity: { displayName: 'GRGRMAT01_6' },
  ...o,
});

let sequence = 0;
const entityOf = (o: object): SisEntity =>
  'organisationType' in o ? 'organisation' : 'dutyRole' in o ? 'duty' : 'groupType' in o ? 'group' : 'groups' in o || 'activityType' in o ? 'activity' : 'person';

export const upsert = (data: { id: string }, entity: SisEntity = entityOf(data)): SisChange => ({
  entity,
  action: 'upserted',
  subject: data.id,
  source: 'urn:sis:test',
  id: `event-${++sequence}`,
  time: '2026-09-01T07:00:00Z',
  data: data as unknown as Record<string, unknown>,
});

export const remove = (entity: SisEntity, subject: string): SisChange => ({
  entity,
  action: 'deleted',
  subject,
  source: 'urn:sis:test',
  id: `event-${++sequence}`,
  time: '2026-09-01T07:00:00Z',
  data: null,
});

/** A projection given these SIS objects (and our two school units), on TODAY unless said otherwise. */
export function given(objects: { id: string }[], options: ProjectionOptions & { today?: string; reference?: ReferenceData } = {}) {
  const projection = new DesiredStateProjection(options.reference ?? reference(), options.today ?? TODAY, options);
  for (const o of [schoolUnitOrg(OUR_GR), schoolUnitOrg(OUR_GY), schoolUnitOrg(OTHER_ORGANISERS), ...objects]) {
    projection.apply(upsert(o));
  }
  return projection;
}
