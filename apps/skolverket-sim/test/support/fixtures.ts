import { randomUUID } from 'node:crypto';
import { uuidv5 } from '../../src/index.js';

export const UNIT = {
  norra: uuidv5('10000001'),
  sodra: uuidv5('10000002'),
  gymnasiet: uuidv5('10000003'),
  grannskolan: uuidv5('20000001'),
};
export const TEST_ACTIVITY = { matmat01a: uuidv5('MATMAT01a'), grMat6: uuidv5('GRGRMAT01_6') };

/** A valid personnummer for a birth date YYYYMMDD and serial NNN: the check digit is computed. */
export function personnummer(date: string, serial: string): string {
  const nine = date.slice(2) + serial;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return `${date}${serial}${(10 - (sum % 10)) % 10}`;
}

let serial = 100;
const nextCivicNo = () => personnummer('20100315', String(serial++ % 1000).padStart(3, '0'));

export function student(overrides: Record<string, unknown> = {}): Record<string, any> {
  const id = randomUUID();
  return {
    id,
    givenName: 'Elev',
    familyName: 'Testsson',
    civicNo: { value: nextCivicNo(), nationality: 'SE' },
    eduPersonPrincipalNames: [`${id}@edu.provsync.se`],
    emails: [{ value: `${id}@elev.provsync.se`, type: 'Skola elev' }],
    enrolments: [{ enroledAt: { id: UNIT.norra }, schoolType: 'GR', schoolYear: 6 }],
    ...overrides,
  };
}

export function staff(overrides: Record<string, unknown> = {}): Record<string, any> {
  const id = randomUUID();
  return {
    id,
    givenName: 'Lärare',
    familyName: 'Testsson',
    civicNo: { value: personnummer('19800101', String(serial++ % 1000).padStart(3, '0')), nationality: 'SE' },
    eduPersonPrincipalNames: [`${id}@edu.provsync.se`],
    emails: [{ value: `${id}@personal.provsync.se`, type: 'Skola personal' }],
    ...overrides,
  };
}

export const duty = (personId: string, overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  person: { id: personId },
  dutyAt: { id: UNIT.norra },
  dutyRole: 'Lärare',
  ...overrides,
});

export const group = (memberIds: string[], overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  displayName: '6A',
  groupType: 'Klass',
  schoolType: 'GR',
  organisation: { id: UNIT.norra },
  groupMemberships: memberIds.map((id) => ({ person: { id } })),
  ...overrides,
});

export const activity = (groupId: string, dutyIds: string[], overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  displayName: 'Matematik 6A',
  activityType: 'Undervisning',
  groups: [{ id: groupId }],
  teachers: dutyIds.map((id) => ({ duty: { id } })),
  organisation: { id: UNIT.norra },
  parentActivity: { id: TEST_ACTIVITY.grMat6 },
  ...overrides,
});
