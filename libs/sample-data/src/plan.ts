import { schoolYearStart } from './dates.js';
import { resolveOptions, type MunicipalityOptions, type ResolvedOptions } from './options.js';
import { layoutPupils, type PupilLayout } from './pupil-layout.js';
import { nationalTestsFor, type NationalTest } from './reference-values.js';
import { layoutStaff, type StaffLayout } from './staff-layout.js';
import { idMaker } from './uuid.js';

/** Everything about a municipality that is decided before any event is built; small even at 150,000 pupils. */
export interface MunicipalityPlan {
  options: ResolvedOptions;
  source: string;
  /** The current school year: its start year and start date (before `today`). */
  startYear: number;
  startDate: string;
  id: (name: string) => string;
  pupils: PupilLayout;
  staff: StaffLayout;
  /** Klass groups that also have a whole-class national-test activity (`classActivityShare`). */
  classActivities: ClassActivity[];
}

export interface ClassActivity {
  classIndex: number;
  test: NationalTest;
}

export function planMunicipality(options: MunicipalityOptions): MunicipalityPlan {
  const resolved = resolveOptions(options);
  const start = schoolYearStart(resolved.today);
  const pupils = layoutPupils(
    resolved.schools,
    resolved.pupils,
    resolved.classSize,
    resolved.teachingGroupSize,
    start.year,
  );
  const staffPerSchool = resolved.schools.map(
    (school, i) => school.staff ?? resolved.staffPerSchool ?? Math.max(6, Math.ceil((pupils.pupilsPerSchool[i] as number) / 10)),
  );
  if (staffPerSchool.some((n) => !Number.isInteger(n) || n < 2)) {
    throw new RangeError('every school needs at least 2 staff (a principal and a teacher)');
  }
  return {
    options: resolved,
    source: `urn:sis:sample:${resolved.name}`,
    startYear: start.year,
    startDate: start.date,
    id: idMaker(resolved.seed),
    pupils,
    staff: layoutStaff(resolved.seed, staffPerSchool),
    classActivities: chooseClassActivities(pupils, resolved.classActivityShare),
  };
}

/** Every k-th eligible class, spread evenly so each school and year gets its share. */
function chooseClassActivities(pupils: PupilLayout, share: number): ClassActivity[] {
  const chosen: ClassActivity[] = [];
  let eligible = 0;
  for (const schoolClass of pupils.classes) {
    const cohort = pupils.cohorts[schoolClass.cohort]!;
    const test = nationalTestsFor(cohort.schoolType, cohort.year)[0];
    if (!test) continue;
    if (Math.floor((eligible + 1) * share) > Math.floor(eligible * share)) chosen.push({ classIndex: schoolClass.index, test });
    eligible++;
  }
  return chosen;
}

/** Stable names behind every generated id, so a reference is computed rather than looked up. */
export const ID = {
  organiser: 'organiser',
  school: (index: number) => `school:${index}`,
  pupil: (index: number) => `pupil:${index}`,
  staff: (index: number) => `staff:${index}`,
  duty: (staff: number, n: number) => `duty:${staff}:${n}`,
  schoolClass: (index: number) => `class:${index}`,
  teachingGroup: (index: number) => `teaching-group:${index}`,
  activity: (index: number) => `activity:${index}`,
  classActivity: (classIndex: number) => `class-activity:${classIndex}`,
  event: (sequence: number) => `event:${sequence}`,
} as const;
