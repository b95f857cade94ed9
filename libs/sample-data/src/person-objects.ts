import { allocateCivicNumber } from './civic-number-allocator.js';
import { emailLocalPart, personName } from './names.js';
import { ID, type MunicipalityPlan } from './plan.js';
import { intBetween, randomFor } from './prng.js';
import type { Cohort } from './pupil-layout.js';
import type { PlannedDuty } from './staff-layout.js';
import type { SampleDuty, SamplePerson } from './sis-objects.js';
import { STREAM } from './streams.js';

export const EPPN_DOMAIN = 'edu.provsync.example';
export const PUPIL_EMAIL_DOMAIN = 'elev.provsync.example';
export const STAFF_EMAIL_DOMAIN = 'provsync.example';

/** Every 250th pupil and 100th staff member has a samordningsnummer instead of a personnummer. */
const isCoordinationPupil = (index: number) => index % 250 === 7;
const isCoordinationStaff = (index: number) => index % 100 === 42;

export function pupilObject(plan: MunicipalityPlan, cohort: Cohort, index: number): SamplePerson {
  const birthYear = plan.startYear - cohort.ageAtStart;
  const k = cohort.birthYearOffset + (index - cohort.firstPupil);
  const civic = allocateCivicNumber(plan.options.seed, birthYear, k, isCoordinationPupil(index));
  const name = personName(randomFor(plan.options.seed, STREAM.pupil, index), civic.male);
  return {
    ...personBase(plan.id(ID.pupil(index)), name, civic.value, `${emailLocalPart(name, index)}@${PUPIL_EMAIL_DOMAIN}`, 'Skola elev'),
    enrolments: [
      {
        enroledAt: { id: plan.id(ID.school(cohort.school)) },
        schoolType: cohort.schoolType,
        schoolYear: cohort.year,
        ...(cohort.programme ? { educationCode: cohort.programme } : {}),
        // They started this school form in year 1, that many autumns ago.
        startDate: `${plan.startYear - cohort.year + 1}-08-15`,
      },
    ],
  };
}

export function staffObject(plan: MunicipalityPlan, index: number, emailType = 'Skola personal'): SamplePerson {
  // Ages 25-64, alternating sex; (index, birth year) map one-to-one onto k, so civic numbers stay unique.
  const birthYear = plan.startYear - 25 - ((index >> 1) % 40);
  const k = 2 * Math.floor(index / 80) + (index % 2);
  const civic = allocateCivicNumber(plan.options.seed, birthYear, k, isCoordinationStaff(index));
  const name = personName(randomFor(plan.options.seed, STREAM.staff, index), civic.male);
  return personBase(plan.id(ID.staff(index)), name, civic.value, `${emailLocalPart(name, index)}@${STAFF_EMAIL_DOMAIN}`, emailType);
}

/** What pupils and staff share: identity, one EPPN derived from the id, one school email. */
function personBase(
  id: string,
  name: { givenName: string; familyName: string },
  civicNo: string,
  email: string,
  emailType: string,
): SamplePerson {
  return {
    id,
    givenName: name.givenName,
    familyName: name.familyName,
    civicNo: { value: civicNo, nationality: 'SE' },
    eduPersonPrincipalNames: [`${id}@${EPPN_DOMAIN}`],
    emails: [{ value: email, type: emailType }],
  };
}

export function dutyObject(plan: MunicipalityPlan, duty: PlannedDuty): SampleDuty {
  const random = randomFor(plan.options.seed, STREAM.duty, duty.staff * 2 + duty.n);
  const yearsAgo = duty.n === 0 ? intBetween(random, 0, 15) : intBetween(random, 0, 3);
  return {
    id: plan.id(ID.duty(duty.staff, duty.n)),
    person: { id: plan.id(ID.staff(duty.staff)) },
    dutyAt: { id: plan.id(ID.school(duty.school)) },
    dutyRole: duty.role,
    startDate: `${plan.startYear - yearsAgo}-08-01`,
  };
}
