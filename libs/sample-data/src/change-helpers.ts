import { addDays, parseDate } from './dates.js';
import { upserted, type AnySisEvent } from './sis-event.js';
import type { SampleEntity, SampleGroup, SampleObjectByEntity, SamplePerson } from './sis-objects.js';
import { objectOf, objectsOf, withEvents, type MunicipalityState } from './state.js';
import { idMaker } from './uuid.js';

/** What a change helper returns: the events a SIS would emit, and the state after them. */
export interface Change {
  state: MunicipalityState;
  events: AnySisEvent[];
}

export const CHANGE_ACTOR = 'sis-user:sample.admin';

/**
 * The pupil leaves their current Klass (membership ends yesterday) and joins `toClassId` from `today`:
 * two group upserts, old class first. Both classes must be at the same school unit; moving school
 * also changes the enrolment (use updatePerson for that as well).
 */
export function movePupil(state: MunicipalityState, pupilId: string, toClassId: string, today: string): Change {
  const pupil = objectOf(state, 'person', pupilId);
  if (!pupil.enrolments?.length) throw new RangeError(`person ${pupilId} is not a pupil`);
  const target = objectOf(state, 'group', toClassId);
  if (target.groupType !== 'Klass') throw new RangeError(`group ${toClassId} is not a Klass`);
  const current = objectsOf(state, 'group').filter(
    (group) => group.groupType === 'Klass' && group.groupMemberships.some((m) => isCurrentMember(m, pupilId, today)),
  );
  if (current.some((group) => group.id === toClassId)) throw new RangeError('the pupil is already in that class');
  const other = current.find((group) => group.organisation.id !== target.organisation.id);
  if (other) throw new RangeError('movePupil moves within one school unit; the target class is at another');
  const yesterday = addDays(today, -1);
  const left: SampleGroup[] = current.map((group) => ({
    ...group,
    groupMemberships: group.groupMemberships.flatMap((m) => {
      if (!isCurrentMember(m, pupilId, today)) return [m];
      // A membership that only began today is withdrawn rather than given an end before its start.
      return m.startDate === today ? [] : [{ ...m, endDate: yesterday }];
    }),
  }));
  const joined: SampleGroup = {
    ...target,
    groupMemberships: [...target.groupMemberships, { person: { id: pupilId }, startDate: today }],
  };
  return emit(state, today, [...left.map((g) => ['group', g] as const), ['group', joined] as const]);
}

/** The duty ends on `endDate` (after that day it is no longer current). */
export function endDuty(state: MunicipalityState, dutyId: string, endDate: string): Change {
  parseDate(endDate);
  const duty = objectOf(state, 'duty', dutyId);
  return emit(state, undefined, [['duty', { ...duty, endDate }]]);
}

export type PersonUpdate = Partial<Omit<SamplePerson, 'id'>> | ((person: SamplePerson) => SamplePerson);

/** A person upsert with the attributes replaced (or the object rewritten by a function); the id stays. */
export function updatePerson(state: MunicipalityState, personId: string, update: PersonUpdate, today?: string): Change {
  const person = objectOf(state, 'person', personId);
  const updated = typeof update === 'function' ? update(structuredClone(person)) : { ...person, ...update };
  return emit(state, today, [['person', { ...updated, id: personId }]]);
}

function isCurrentMember(membership: SampleGroup['groupMemberships'][number], pupilId: string, today: string): boolean {
  return (
    membership.person.id === pupilId &&
    (membership.startDate === undefined || membership.startDate <= today) &&
    (membership.endDate === undefined || membership.endDate >= today)
  );
}

type Upsert = { [E in SampleEntity]: readonly [E, SampleObjectByEntity[E]] }[SampleEntity];

/** Events after the last one: next sequence numbers, a later time (08:00 UTC on `today` at the earliest). */
function emit(state: MunicipalityState, today: string | undefined, upserts: readonly Upsert[]): Change {
  const id = idMaker(state.seed);
  const morning = today === undefined ? 0 : parseDate(today) + 8 * 3_600_000;
  let time = Math.max(state.lastTime + 1_000, morning);
  let sequence = state.sequence;
  const events = upserts.map(([entity, data]) => {
    sequence++;
    const event = upserted(entity, data as never, {
      // Content goes into the id too, so two different changes made from the same state never share one.
      id: id(`change:${sequence}:${data.id}:${JSON.stringify(data)}`),
      source: state.source,
      sequence,
      time: new Date(time).toISOString(),
      actor: CHANGE_ACTOR,
    }) as AnySisEvent;
    time += 1_000;
    return event;
  });
  return { state: withEvents(state, events), events };
}
