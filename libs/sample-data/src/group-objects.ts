import { ID, type ClassActivity, type MunicipalityPlan } from './plan.js';
import { randomFor } from './prng.js';
import type { SchoolClass, TeachingGroup } from './pupil-layout.js';
import type { SampleActivity, SampleGroup, SampleMembership } from './sis-objects.js';
import { STREAM } from './streams.js';

export function classGroupObject(plan: MunicipalityPlan, schoolClass: SchoolClass): SampleGroup {
  const cohort = plan.pupils.cohorts[schoolClass.cohort]!;
  return {
    id: plan.id(ID.schoolClass(schoolClass.index)),
    displayName: schoolClass.displayName,
    groupType: 'Klass',
    schoolType: cohort.schoolType,
    organisation: { id: plan.id(ID.school(cohort.school)) },
    startDate: plan.startDate,
    groupMemberships: memberships(plan, schoolClass.firstPupil, schoolClass.count),
  };
}

export function teachingGroupObject(plan: MunicipalityPlan, group: TeachingGroup): SampleGroup {
  const cohort = plan.pupils.cohorts[plan.pupils.classes[group.classIndex]!.cohort]!;
  return {
    id: plan.id(ID.teachingGroup(group.index)),
    displayName: group.displayName,
    groupType: 'Undervisning',
    schoolType: cohort.schoolType,
    organisation: { id: plan.id(ID.school(cohort.school)) },
    startDate: plan.startDate,
    groupMemberships: memberships(plan, group.firstPupil, group.count),
  };
}

export function schoolOfTeachingGroup(plan: MunicipalityPlan, group: TeachingGroup): number {
  return plan.pupils.cohorts[plan.pupils.classes[group.classIndex]!.cohort]!.school;
}

/**
 * One activity per teaching group, linked to its national test. Teachers are the school's Lärare duties
 * in turn (`turn` counts the school's activities so far); every fifth activity or so gets a second teacher.
 */
export function activityObject(plan: MunicipalityPlan, group: TeachingGroup, turn: number): SampleActivity {
  const school = schoolOfTeachingGroup(plan, group);
  return {
    id: plan.id(ID.activity(group.index)),
    displayName: group.displayName,
    activityType: 'Undervisning',
    organisation: { id: plan.id(ID.school(school)) },
    startDate: plan.startDate,
    groups: [{ id: plan.id(ID.teachingGroup(group.index)) }],
    teachers: teachersOf(plan, school, turn, randomFor(plan.options.seed, STREAM.activity, group.index)),
    parentActivity: { displayName: group.test.code },
  };
}

export function schoolOfClass(plan: MunicipalityPlan, classIndex: number): number {
  return plan.pupils.cohorts[plan.pupils.classes[classIndex]!.cohort]!.school;
}

/** A whole-class national-test activity on a Klass group (`classActivityShare`). */
export function classActivityObject(plan: MunicipalityPlan, chosen: ClassActivity, turn: number): SampleActivity {
  const schoolClass = plan.pupils.classes[chosen.classIndex]!;
  const school = schoolOfClass(plan, chosen.classIndex);
  // Seeded apart from the teaching groups' activities (whose seeds are their non-negative indexes).
  const random = randomFor(plan.options.seed, STREAM.activity, -1 - chosen.classIndex);
  return {
    id: plan.id(ID.classActivity(chosen.classIndex)),
    displayName: `${chosen.test.subject} ${schoolClass.displayName}`,
    activityType: 'Undervisning',
    organisation: { id: plan.id(ID.school(school)) },
    startDate: plan.startDate,
    groups: [{ id: plan.id(ID.schoolClass(chosen.classIndex)) }],
    teachers: teachersOf(plan, school, turn, random),
    parentActivity: { displayName: chosen.test.code },
  };
}

function teachersOf(plan: MunicipalityPlan, school: number, turn: number, random: () => number): SampleActivity['teachers'] {
  const teachers = plan.staff.teacherDuties[school]!;
  if (teachers.length === 0) throw new RangeError(`school unit ${school} has national-test activities but no teachers`);
  const chosen = [teachers[turn % teachers.length]!];
  if (teachers.length > 1 && random() < 0.2) {
    chosen.push(teachers[(turn + 1 + Math.floor((teachers.length - 1) / 2)) % teachers.length]!);
  }
  return chosen.map((duty) => ({
    duty: { id: plan.id(ID.duty(duty.staff, duty.n)) },
    startDate: plan.startDate,
    grader: true,
  }));
}

function memberships(plan: MunicipalityPlan, firstPupil: number, count: number): SampleMembership[] {
  const list: SampleMembership[] = new Array(count);
  for (let i = 0; i < count; i++) {
    list[i] = { person: { id: plan.id(ID.pupil(firstPupil + i)) }, startDate: plan.startDate };
  }
  return list;
}
