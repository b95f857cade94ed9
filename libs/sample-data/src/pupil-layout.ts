import { nationalTestsFor, type NationalTest, type SchoolSpec, type SchoolType } from './reference-values.js';

/** Pupils are numbered 0..n-1 in cohort order; classes and teaching groups hold contiguous ranges of them. */
export interface Cohort {
  school: number;
  schoolType: SchoolType;
  year: number;
  programme?: string;
  /** Years between the birth year and the start year of the current school year. */
  ageAtStart: number;
  firstPupil: number;
  count: number;
  /** Pupils of the same birth year in earlier cohorts: makes civic numbers unique per birth year. */
  birthYearOffset: number;
}

export interface SchoolClass {
  index: number;
  cohort: number;
  displayName: string;
  firstPupil: number;
  count: number;
}

export interface TeachingGroup {
  index: number;
  classIndex: number;
  test: NationalTest;
  displayName: string;
  firstPupil: number;
  count: number;
}

export interface PupilLayout {
  cohorts: Cohort[];
  classes: SchoolClass[];
  teachingGroups: TeachingGroup[];
  pupilsPerSchool: number[];
}

interface CohortSeed {
  school: number;
  schoolType: SchoolType;
  year: number;
  programme?: string;
  weight: number;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function layoutPupils(
  schools: readonly SchoolSpec[],
  pupils: number,
  classSize: number,
  teachingGroupSize: number,
  startYear: number,
): PupilLayout {
  const seeds = cohortSeeds(schools);
  const counts = splitByWeight(pupils, seeds.map((s) => s.weight));
  const cohorts: Cohort[] = [];
  const classes: SchoolClass[] = [];
  const teachingGroups: TeachingGroup[] = [];
  const pupilsPerSchool = schools.map(() => 0);
  const perAge = new Map<number, number>();
  let nextPupil = 0;
  seeds.forEach((seed, i) => {
    const count = counts[i] as number;
    const ageAtStart = seed.schoolType === 'GY' ? seed.year + 15 : seed.year + 6;
    const cohort: Cohort = {
      school: seed.school,
      schoolType: seed.schoolType,
      year: seed.year,
      ...(seed.programme ? { programme: seed.programme } : {}),
      ageAtStart,
      firstPupil: nextPupil,
      count,
      birthYearOffset: perAge.get(ageAtStart) ?? 0,
    };
    perAge.set(ageAtStart, cohort.birthYearOffset + count);
    pupilsPerSchool[seed.school] = (pupilsPerSchool[seed.school] as number) + count;
    const sizes = splitEvenly(count, Math.ceil(count / classSize));
    let first = nextPupil;
    sizes.forEach((size, section) => {
      const schoolClass: SchoolClass = {
        index: classes.length,
        cohort: cohorts.length,
        displayName: className(cohort, section, startYear),
        firstPupil: first,
        count: size,
      };
      classes.push(schoolClass);
      teachingGroups.push(...teachingGroupsOf(schoolClass, cohort, teachingGroupSize, teachingGroups.length));
      first += size;
    });
    cohorts.push(cohort);
    nextPupil += count;
  });
  return { cohorts, classes, teachingGroups, pupilsPerSchool };
}

function cohortSeeds(schools: readonly SchoolSpec[]): CohortSeed[] {
  const seeds: CohortSeed[] = [];
  schools.forEach((school, index) => {
    for (const offer of school.offers) {
      const weight = offer.weight ?? 1;
      if (offer.schoolType === 'GY') {
        for (const year of offer.years ?? [1, 2, 3]) {
          for (const programme of offer.programmes) {
            seeds.push({ school: index, schoolType: 'GY', year, programme, weight: weight / offer.programmes.length });
          }
        }
      } else {
        for (const year of offer.years) seeds.push({ school: index, schoolType: offer.schoolType, year, weight });
      }
    }
  });
  return seeds;
}

function teachingGroupsOf(schoolClass: SchoolClass, cohort: Cohort, size: number, firstIndex: number): TeachingGroup[] {
  const groups: TeachingGroup[] = [];
  const parts = splitEvenly(schoolClass.count, Math.ceil(schoolClass.count / size));
  for (const test of nationalTestsFor(cohort.schoolType, cohort.year)) {
    let first = schoolClass.firstPupil;
    parts.forEach((count, part) => {
      const suffix = parts.length > 1 ? ` grupp ${part + 1}` : '';
      groups.push({
        index: firstIndex + groups.length,
        classIndex: schoolClass.index,
        test,
        displayName: `${test.subject} ${schoolClass.displayName}${suffix}`,
        firstPupil: first,
        count,
      });
      first += count;
    });
  }
  return groups;
}

/** GR 6A, SP 7A, GY NA24A (programme and the year the class started). */
function className(cohort: Cohort, section: number, startYear: number): string {
  const letter = LETTERS[section % 26]! + (section >= 26 ? String(Math.floor(section / 26)) : '');
  if (cohort.schoolType === 'GY') {
    const started = String((startYear - cohort.year + 1) % 100).padStart(2, '0');
    return `${cohort.programme!.slice(0, 2)}${started}${letter}`;
  }
  return `${cohort.schoolType === 'GR' ? '' : cohort.schoolType}${cohort.year}${letter}`;
}

/** Largest-remainder split: the parts sum exactly to total. */
export function splitByWeight(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left-- <= 0) break;
    parts[i] = (parts[i] as number) + 1;
  }
  return parts;
}

function splitEvenly(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}
