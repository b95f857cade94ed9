import type { MunicipalityPlan } from './plan.js';
import { ID } from './plan.js';
import { pupilObject, staffObject } from './person-objects.js';
import type { SampleDuty, SampleGroup, SamplePerson } from './sis-objects.js';

/**
 * Realistic objects Skolverket must not get, for `includeInvalid`: the projection has to leave them out
 * and explain why. They use indices past the regular ones, so ids and civic numbers stay unique.
 */
export interface InvalidCases {
  staffWithoutSchoolEmail: SamplePerson;
  dutyOfStaffWithoutSchoolEmail: SampleDuty;
  pupilInSchoolYear11: SamplePerson;
  mentorGroup: SampleGroup;
}

export const INVALID_IDS = {
  staff: 'invalid:staff-without-school-email',
  duty: 'invalid:duty-of-staff-without-school-email',
  pupil: 'invalid:pupil-in-school-year-11',
  mentorGroup: 'invalid:mentor-group',
} as const;

export function invalidCases(plan: MunicipalityPlan): InvalidCases {
  const staff = { ...staffObject(plan, plan.staff.staffCount, 'Privat'), id: plan.id(INVALID_IDS.staff) };
  staff.eduPersonPrincipalNames = [`${staff.id}@edu.provsync.example`];
  const grCohort = plan.pupils.cohorts.find((c) => c.schoolType === 'GR' && c.year === 9) ?? plan.pupils.cohorts[0];
  const firstClass = plan.pupils.classes[0];
  const school = grCohort?.school ?? 0;
  // The pupil continues the year-9 cohort's civic numbers, one past its last pupil.
  const base = grCohort ?? { school, schoolType: 'GR' as const, year: 9, ageAtStart: 15, firstPupil: 0, count: 0, birthYearOffset: 0 };
  const pupil = pupilObject(plan, { ...base, birthYearOffset: lastOffsetOfAge(plan, base.ageAtStart) }, base.firstPupil);
  pupil.id = plan.id(INVALID_IDS.pupil);
  pupil.eduPersonPrincipalNames = [`${pupil.id}@edu.provsync.example`];
  pupil.emails = [{ value: `elev.${pupil.id.slice(0, 8)}@elev.provsync.example`, type: 'Skola elev' }];
  pupil.enrolments = [{ ...pupil.enrolments![0]!, schoolType: 'GR', schoolYear: 11 }];
  delete pupil.enrolments[0]!.educationCode;
  return {
    staffWithoutSchoolEmail: staff,
    dutyOfStaffWithoutSchoolEmail: {
      id: plan.id(INVALID_IDS.duty),
      person: { id: staff.id },
      dutyAt: { id: plan.id(ID.school(school)) },
      dutyRole: 'Lärare',
      startDate: `${plan.startYear - 2}-08-01`,
    },
    pupilInSchoolYear11: pupil,
    mentorGroup: {
      id: plan.id(INVALID_IDS.mentorGroup),
      displayName: `Mentorsgrupp ${firstClass?.displayName ?? ''}`.trim(),
      groupType: 'Mentor',
      schoolType: grCohort?.schoolType ?? 'GR',
      organisation: { id: plan.id(ID.school(firstClass ? plan.pupils.cohorts[firstClass.cohort]!.school : school)) },
      startDate: plan.startDate,
      groupMemberships: Array.from({ length: Math.min(5, firstClass?.count ?? 0) }, (_, i) => ({
        person: { id: plan.id(ID.pupil(firstClass!.firstPupil + i)) },
        startDate: plan.startDate,
      })),
    },
  };
}

function lastOffsetOfAge(plan: MunicipalityPlan, ageAtStart: number): number {
  return plan.pupils.cohorts
    .filter((c) => c.ageAtStart === ageAtStart)
    .reduce((total, c) => total + c.count, 0);
}
