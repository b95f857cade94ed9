import type { SisPerson } from '../sis/sis-objects.schema.js';
import { civicNoProblem } from './civic-no.js';

export const STUDENT_EMAIL = 'Skola elev';
export const STAFF_EMAIL = 'Skola personal';
export const EDUID_CONTEXT = 'https://eduid.se';
const SECURITY_MARKINGS: readonly string[] = ['Ingen', 'Sekretessmarkering', 'Skyddad folkbokföring'];
export const NO_STAFF_EMAIL = `staff member has no email of type '${STAFF_EMAIL}'`;

/** What makes a person unsendable whatever their enrolments and duties: identity fields. */
export function personIdentityProblems(person: SisPerson): string[] {
  const problems: string[] = [];
  if (!person.civicNo) problems.push('civicNo is missing');
  else {
    const civicNo = civicNoProblem(person.civicNo.value);
    if (civicNo) problems.push(civicNo);
    const nationality = person.civicNo.nationality;
    if (nationality !== undefined && nationality !== 'SE' && nationality !== 'SWE') {
      problems.push(`civicNo.nationality is ${nationality}; only Swedish numbers (SE) may be sent`);
    }
  }
  const eppns = new Set(person.eduPersonPrincipalNames ?? []);
  if (eppns.size !== 1) {
    problems.push(`has ${eppns.size} eduPersonPrincipalNames; exactly one is required`);
  }
  if (person.securityMarking !== undefined && !SECURITY_MARKINGS.includes(person.securityMarking)) {
    problems.push(`securityMarking is not one of ${SECURITY_MARKINGS.join(', ')}`);
  }
  return problems;
}

export const hasStaffEmail = (person: SisPerson): boolean =>
  (person.emails ?? []).some((e) => e.type === STAFF_EMAIL);

