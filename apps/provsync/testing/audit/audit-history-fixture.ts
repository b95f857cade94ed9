/* Test support: a small but complete history in a store: SIS changes of every entity, an older change, the reference data, sync batches with an error, an access. */
import {
  ACCESS_STREAM,
  deduplicationKey,
  entityStream,
  OUT_OF_ORDER_SIS_CHANGE_RECORDED,
  PERSONAL_DATA_ACCESSED,
  SIS_CHANGE_RECORDED,
  type SisChange,
  SYNC_STREAM,
} from '@provsync/domain';
import type { EventStore, NewEvent, RecordedEvent } from '@provsync/event-store';
import {
  activity,
  civicNo,
  duty,
  group,
  id,
  OUR_GR,
  OUR_GY,
  pupil as builtPupil,
  reference,
  remove,
  schoolUnitOrg,
  teacher,
  upsert,
} from '../../../../libs/domain/testing/sis-test-builders.js';
import { REFERENCE_STREAM } from '../../src/desired-state/reference-data-store.js';
import { REFERENCE_READ_TYPE } from '../../src/audit/audit-event-types.js';

/** Pupil `p<n>` has personnummer 20140321-1<nn>x (each their own). */
export const pupilCivicNo = (name: string): string => civicNo('20140321', String(100 + Number(name.slice(1))));
const pupil: typeof builtPupil = (name, o = {}) => builtPupil(name, { civicNo: { value: pupilCivicNo(name), nationality: 'SE' }, ...o });

const receipt = (line: number) => ({ channel: 'file' as const, receivedAt: '2026-09-01T07:00:00Z', file: { name: 'fixture.ndjson', line } });

/**
 * Fills `store` with the history, recorded over several days (ten events a day from 2026-09-01, imported with those
 * recording times): what is desired changes as days pass, so resuming a projection must get "today" right.
 */
export async function fillStore(store: EventStore): Promise<number> {
  let line = 0;
  const events: RecordedEvent[] = [];
  const revisions = new Map<string, number>();
  const write = async (stream: string, event: NewEvent) => {
    const revision = (revisions.get(stream) ?? -1) + 1;
    revisions.set(stream, revision);
    const day = new Date(Date.UTC(2026, 8, 1 + Math.floor(events.length / 10), 9)).toISOString();
    events.push({ stream, revision, position: 0n, type: event.type, data: event.data, metadata: {}, recordedAt: day, ...(event.idempotencyKey ? { idempotencyKey: event.idempotencyKey } : {}) });
  };
  const record = (change: SisChange) =>
    write(entityStream(change.entity, change.subject), {
      type: SIS_CHANGE_RECORDED,
      data: { change, receipt: receipt(++line) },
      idempotencyKey: deduplicationKey(change),
    });
  const pupils = Array.from({ length: 30 }, (_, i) => `p${i}`);
  await record(upsert(schoolUnitOrg(OUR_GR)));
  await record(upsert(schoolUnitOrg(OUR_GY)));
  // p8's enrolment ends on 2026-09-04: no longer sent from the 5th, on no SIS change of that day.
  const ends = (p: string) =>
    p === 'p8' ? { enrolments: [{ enroledAt: { id: id(`org-${OUR_GR}`) }, schoolType: 'GR', schoolYear: 6, startDate: '2020-08-15', endDate: '2026-09-04' }] } : {};
  for (const p of pupils.slice(0, 10)) await record(upsert(pupil(p, ends(p))));
  await write(REFERENCE_STREAM, { type: REFERENCE_READ_TYPE, data: { digest: 'd1', reference: reference() } });
  for (const p of pupils.slice(10)) await record(upsert(pupil(p)));
  for (const t of ['t0', 't1', 't2']) await record(upsert(teacher(t)));
  for (const [d, t] of [['d0', 't0'], ['d1', 't1'], ['d2', 't2']] as const) await record(upsert(duty(d, t)));
  await record(upsert(group('g0', pupils.slice(0, 15))));
  await record(upsert(group('g1', pupils.slice(15))));
  await record(upsert(group('g2', pupils.slice(0, 10), { groupType: 'Undervisning' })));
  await record(upsert(activity('a0', ['g2'], ['d0'])));
  await record(upsert(activity('a1', ['g0', 'g1'], ['d1'])));
  const batch = { batchId: 'b1', objectType: 'person', operation: 'upsert', at: '2026-09-01T08:00:00Z', body: [] };
  await write(SYNC_STREAM, { type: 'BatchSubmissionStarted', data: { ...batch, items: pupils.slice(0, 10).map((p) => ({ id: id(p), hash: 'h', refs: [] })) } });
  await write(SYNC_STREAM, { type: 'BatchAccepted', data: { batchId: 'b1', jobId: 'j1', at: '2026-09-01T08:00:01Z' } });
  await write(SYNC_STREAM, {
    type: 'JobResultsRecorded',
    data: { batchId: 'b1', jobId: 'j1', at: '2026-09-01T08:00:02Z', results: [{ id: id('p2'), status: 'Error', errors: [{ message: 'invalid', attributeName: 'emails' }] }] },
  });
  for (let round = 1; round <= 5; round++) {
    for (const p of pupils.slice(0, 10)) await record({ ...upsert(pupil(p, { ...ends(p), givenName: `Elev ${round}` })), time: `2026-09-0${round + 1}T07:00:00Z` });
  }
  const older = { ...upsert(pupil('p1', { givenName: 'Gammal' })), time: '2026-08-01T07:00:00Z' };
  await write(entityStream('person', id('p1')), {
    type: OUT_OF_ORDER_SIS_CHANGE_RECORDED,
    data: { change: older, receipt: receipt(++line), supersededBy: { source: 'urn:sis:test', time: '2026-09-06T07:00:00Z' } },
    idempotencyKey: deduplicationKey(older),
  });
  await record(upsert(group('g0', pupils.slice(0, 15).filter((p) => p !== 'p3'))));
  await record(upsert(group('g1', [...pupils.slice(15), 'p3'])));
  await record(upsert(pupil('p5', { enrolments: [{ enroledAt: { id: id(`org-${OUR_GR}`) }, schoolType: 'GR', schoolYear: 6, startDate: '2020-08-15', endDate: '2021-06-15' }] })));
  await record(remove('person', id('p7')));
  await write(SYNC_STREAM, { type: 'BatchSubmissionStarted', data: { ...batch, batchId: 'b2', objectType: 'activity', items: [{ id: id('a0'), hash: 'h', refs: [] }] } });
  await write(SYNC_STREAM, { type: 'BatchRefused', data: { batchId: 'b2', retry: true, reason: 'Skolverket answered 503', at: '2026-09-07T08:00:00Z' } });
  await write(ACCESS_STREAM, { type: PERSONAL_DATA_ACCESSED, data: { who: 'dpo', command: 'history', about: [id('p2')], protectedShown: false, at: '2026-09-08T08:00:00Z' } });
  for (let i = 0; i < events.length; i += 50) await store.importEvents(events.slice(i, i + 50));
  return events.length;
}

export const fixtureId = id;
