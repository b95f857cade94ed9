import {
  activityObject,
  classActivityObject,
  classGroupObject,
  schoolOfClass,
  schoolOfTeachingGroup,
  teachingGroupObject,
} from './group-objects.js';
import { invalidCases } from './invalid-cases.js';
import { organiserObject, schoolUnitObjects } from './organisation-objects.js';
import { dutyObject, pupilObject, staffObject } from './person-objects.js';
import type { MunicipalityOptions } from './options.js';
import { ID, planMunicipality, type MunicipalityPlan } from './plan.js';
import { upserted, type AnySisEvent } from './sis-event.js';
import type { SampleEntity, SampleObjectByEntity } from './sis-objects.js';
import { emptyState, withEvents, type MunicipalityState } from './state.js';
import { summarize, type MunicipalitySummary } from './summary.js';

export const IMPORT_ACTOR = 'sis-import:sample';
/** Events are spaced 10 ms apart from 06:00 UTC the day before `today`: a night-time full import. */
const EVENT_SPACING_MS = 10;

/** Yields the municipality's events one by one in dependency order, holding only the plan in memory. */
export function* municipalityEvents(options: MunicipalityOptions): Generator<AnySisEvent, void, undefined> {
  yield* eventsOf(planMunicipality(options));
}

export interface GeneratedMunicipality {
  events: AnySisEvent[];
  summary: MunicipalitySummary;
  /** The latest object per id and the sequence counter: what the change helpers evolve. */
  state: MunicipalityState;
}

export function generateMunicipality(options: MunicipalityOptions): GeneratedMunicipality {
  const plan = planMunicipality(options);
  const events = [...eventsOf(plan)];
  return { events, summary: summarize(plan), state: withEvents(emptyState(plan.options.seed, plan.source), events) };
}

export function summarizeMunicipality(options: MunicipalityOptions): MunicipalitySummary {
  return summarize(planMunicipality(options));
}

function* eventsOf(plan: MunicipalityPlan): Generator<AnySisEvent, void, undefined> {
  const firstTime = Date.parse(`${plan.options.today}T00:00:00Z`) - 18 * 3_600_000;
  let sequence = 0;
  const event = <E extends SampleEntity>(entity: E, data: SampleObjectByEntity[E]) => {
    sequence++;
    const time = new Date(firstTime + sequence * EVENT_SPACING_MS).toISOString();
    const fields = { id: plan.id(ID.event(sequence)), source: plan.source, sequence, time, actor: IMPORT_ACTOR };
    return upserted(entity, data, fields) as AnySisEvent;
  };
  const invalid = plan.options.includeInvalid ? invalidCases(plan) : undefined;

  yield event('organisation', organiserObject(plan));
  for (const school of schoolUnitObjects(plan)) yield event('organisation', school);
  for (const cohort of plan.pupils.cohorts) {
    for (let i = cohort.firstPupil; i < cohort.firstPupil + cohort.count; i++) {
      yield event('person', pupilObject(plan, cohort, i));
    }
  }
  for (let i = 0; i < plan.staff.staffCount; i++) yield event('person', staffObject(plan, i));
  if (invalid) {
    yield event('person', invalid.pupilInSchoolYear11);
    yield event('person', invalid.staffWithoutSchoolEmail);
  }
  for (const duty of plan.staff.duties) yield event('duty', dutyObject(plan, duty));
  if (invalid) yield event('duty', invalid.dutyOfStaffWithoutSchoolEmail);
  for (const schoolClass of plan.pupils.classes) yield event('group', classGroupObject(plan, schoolClass));
  for (const group of plan.pupils.teachingGroups) yield event('group', teachingGroupObject(plan, group));
  if (invalid) yield event('group', invalid.mentorGroup);
  const turns = plan.options.schools.map(() => 0);
  for (const group of plan.pupils.teachingGroups) {
    const school = schoolOfTeachingGroup(plan, group);
    yield event('activity', activityObject(plan, group, turns[school]!++));
  }
  for (const chosen of plan.classActivities) {
    yield event('activity', classActivityObject(plan, chosen, turns[schoolOfClass(plan, chosen.classIndex)]!++));
  }
}
