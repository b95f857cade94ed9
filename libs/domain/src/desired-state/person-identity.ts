import type { SisPerson } from '../sis/sis-objects.schema.js';
import { civicNoProblem } from './civic-no.js';

export const STUDENT_EMAIL = 'Skola elev';
export const STAFF_EMAIL = 'Skola personal';
export const EDUID_CONTEXT = 'https://eduid.se';
/** Code_SecurityMarking of the Provisioning API's OpenAPI file. */
export const SECURITY_MARKINGS: readonly string[] = ['Ingen', 'Sekretessmarkering', 'Skyddad folkbokföring'];
export const NO_STAFF_EMAIL = `staff member has no email address of type '${STAFF_EMAIL}'`;

/**
 * A local part, an '@' and a domain with a dot, no spaces: what Skolverket takes as an email address and,
 * per the OpenAPI file, as an eduPersonPrincipalName ("en lokalt unik användaridentifierare, ett '@' och en domän").
 */
const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const isEmailAddress = (value: string): boolean => ADDRESS.test(value);
export const isEppn = (value: string): boolean => ADDRESS.test(value);

/** What makes a person unsendable whatever their enrolments and duties: identity fields. */
export function personIdentityProblems(person: SisPerson, today: string): string[] {
  const problems: string[] = [];
  if (!person.civicNo) problems.push('civicNo is missing');
  else {
    const civicNo = civicNoProblem(person.civicNo.value, today);
    if (civicNo) problems.push(civicNo);
    const nationality = person.civicNo.nationality;
    if (nationality !== undefined && nationality !== 'SE' && nationality !== 'SWE') {
      problems.push(`civicNo.nationality is ${nationality}; only Swedish numbers (SE) may be sent`);
    }
  }
  const eppns = new Set(person.eduPersonPrincipalNames ?? []);
  if (eppns.size !== 1) {
    problems.push(`has ${eppns.size} eduPersonPrincipalNames; exactly one is required`);
  } else if (!isEppn([...eppns][0]!)) {
    problems.push("eduPersonPrincipalNames[0] is not a local identifier, an '@' and a domain (e.g. 5f3c…@edu.kommun.se)");
  }
  if (person.securityMarking !== undefined && !SECURITY_MARKINGS.includes(person.securityMarking)) {
    problems.push(`securityMarking is not one of ${SECURITY_MARKINGS.join(', ')}`);
  }
  return problems;
}

/** Staff need a usable `Skola personal` address: one Skolverket would refuse does not count. */
export const hasStaffEmail = (person: SisPerson): boolean =>
  (person.emails ?? []).some((e) => e.type === STAFF_EMAIL && isEmailAddress(e.value));
