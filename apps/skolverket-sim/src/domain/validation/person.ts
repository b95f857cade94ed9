import { civicNoProblem } from '../civic-no.js';
import { objectProblems as P } from '../log-entries.js';
import type { Checker } from './checker.js';
import {
  ACCEPTED_EMAIL_TYPES,
  EDUID_CONTEXT,
  EMAIL_TYPES,
  SCHOOL_TYPES,
  SCHOOL_TYPES_WITH_YEARS,
  SECURITY_MARKINGS,
  STAFF_EMAIL_TYPE,
} from './enums.js';

const EPPN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkPerson(person: Record<string, unknown>, id: string, c: Checker): void {
  c.string(person, 'givenName', '', true);
  c.string(person, 'middleName', '', false);
  c.string(person, 'familyName', '', true);
  c.oneOf(person, 'securityMarking', '', SECURITY_MARKINGS, false);
  checkCivicNo(person, c);
  checkEppn(person, id, c);
  checkEmails(person, id, c);
  for (const { item, path } of c.items(c.array(person, 'enrolments', '', false), '', 'enrolments')) checkEnrolment(item, path, c);
  checkExternalIdentifiers(person, c);
}

function checkCivicNo(person: Record<string, unknown>, c: Checker): void {
  if (person.civicNo === undefined) return c.add(P.missing('civicNo.value'));
  const civicNo = c.record(person.civicNo, 'civicNo');
  if (!civicNo) return;
  if (civicNo.value === undefined) return c.add(P.missing('civicNo.value'));
  const reason = typeof civicNo.value === 'string' ? civicNoProblem(civicNo.value, c.ctx.now) : 'värdet ska vara en text';
  if (reason) c.add(P.civicNo('civicNo.value', reason));
  if (civicNo.nationality !== undefined && civicNo.nationality !== 'SE') {
    c.add(P.notAccepted('civicNo.nationality', civicNo.nationality, 'endast svenska nummer (SE) tas emot'));
  }
}

function checkEppn(person: Record<string, unknown>, id: string, c: Checker): void {
  const list = c.array(person, 'eduPersonPrincipalNames', '', true);
  if (!list) return;
  if (list.length !== 1) return c.add(P.eppnCount('eduPersonPrincipalNames', list.length));
  const eppn = list[0];
  const path = 'eduPersonPrincipalNames[0]';
  if (typeof eppn !== 'string' || !EPPN.test(eppn)) {
    return c.add(P.invalidFormat(path, eppn, 'Värdet ska bestå av en lokal identifierare, ett @ och en domän.'));
  }
  const holder = c.ctx.store.personIdByEppn(eppn);
  if (holder !== undefined && holder !== id) return c.add(P.eppnTaken(path, eppn));
  if (containsNameParts(eppn, person.givenName, person.familyName)) c.add(P.eppnNameParts(path, eppn));
}

/** Skolverket's EPPN guideline: no first three letters of the family name, nor two of each name. */
function containsNameParts(eppn: string, givenName: unknown, familyName: unknown): boolean {
  if (typeof givenName !== 'string' || typeof familyName !== 'string') return false;
  const local = eppn.slice(0, eppn.indexOf('@')).toLowerCase();
  const family = familyName.trim().toLowerCase();
  const given = givenName.trim().toLowerCase();
  if (family.length >= 3 && local.includes(family.slice(0, 3))) return true;
  if (family.length >= 2 && given.length >= 2) {
    const f = family.slice(0, 2);
    const g = given.slice(0, 2);
    return local.includes(g + f) || local.includes(f + g);
  }
  return false;
}

function checkEmails(person: Record<string, unknown>, id: string, c: Checker): void {
  let staffEmail = false;
  for (const { item, path } of c.items(c.array(person, 'emails', '', false), '', 'emails')) {
    const value = c.string(item, 'value', path, true);
    if (value !== undefined && !EMAIL.test(value)) c.add(P.invalidFormat(`${path}.value`, value, 'Värdet ska vara en e-postadress.'));
    const type = c.oneOf(item, 'type', path, EMAIL_TYPES, false);
    if (type && !ACCEPTED_EMAIL_TYPES.includes(type)) {
      c.add(P.notAccepted(`${path}.type`, type, `endast ${ACCEPTED_EMAIL_TYPES.map((t) => `"${t}"`).join(' och ')} tas emot`));
    }
    if (type === STAFF_EMAIL_TYPE && value !== undefined) staffEmail = true;
  }
  // A person who already holds a duty is staff, and staff must keep a school staff email.
  if (!staffEmail && c.ctx.store.hasDuties(id)) c.add(P.staffEmailMissing('emails'));
}

function checkEnrolment(enrolment: Record<string, unknown>, path: string, c: Checker): void {
  const unitId = c.reference(enrolment, 'enroledAt', path, true);
  const unit = unitId ? c.ownSchoolUnit(unitId, `${path}.enroledAt.id`) : undefined;
  const schoolType = c.oneOf(enrolment, 'schoolType', path, SCHOOL_TYPES, true);
  const typeAtUnit = unit && schoolType ? c.schoolTypeAt(unit, schoolType, `${path}.schoolType`) : undefined;
  c.boolean(enrolment, 'cancelled', path);

  const year = enrolment.schoolYear;
  if (year !== undefined && (typeof year !== 'number' || !Number.isInteger(year) || year < 1 || year > 10)) {
    c.add(P.invalidFormat(`${path}.schoolYear`, year, 'Värdet ska vara ett heltal mellan 1 och 10.'));
  } else if (schoolType && SCHOOL_TYPES_WITH_YEARS.includes(schoolType)) {
    if (year === undefined) c.add(P.missing(`${path}.schoolYear`));
    else if (typeAtUnit?.schoolYears && !typeAtUnit.schoolYears.some((y) => y.schoolYear === year)) {
      c.add(P.schoolYearNotAtUnit(`${path}.schoolYear`, year));
    }
  }

  const code = c.string(enrolment, 'educationCode', path, schoolType === 'GY');
  if (code !== undefined && schoolType === 'GY') {
    const programme = c.ctx.reference.programmeByCode(code);
    if (!programme) c.add(P.programmeUnknown(`${path}.educationCode`, code));
    else if (programme.status !== 'Active' || (programme.validFrom && Date.parse(programme.validFrom) > c.ctx.now.getTime())) {
      c.add(P.programmeNotActive(`${path}.educationCode`, code, programme.status ?? 'okänd'));
    }
  }
}

function checkExternalIdentifiers(person: Record<string, unknown>, c: Checker): void {
  const list = c.array(person, 'externalIdentifiers', '', false);
  if (!list) return;
  if (list.length > 1) c.add(P.notAccepted('externalIdentifiers', `${list.length} värden`, 'högst en extern identifierare (eduID) tas emot'));
  for (const { item, path } of c.items(list, '', 'externalIdentifiers')) {
    c.string(item, 'value', path, true);
    const context = c.string(item, 'context', path, true);
    if (context !== undefined && context !== EDUID_CONTEXT) c.add(P.notAccepted(`${path}.context`, context, `endast "${EDUID_CONTEXT}" tas emot`));
    c.boolean(item, 'globallyUnique', path);
  }
}
