import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { decideRecordSisChange, evolveEntityStream, initialEntityStreamState } from '../recording/record-sis-change.decider.js';
import { type EntityStreamEvent, SIS_CHANGE_RECORDED } from '../recording/recording-events.js';
import type { SisChange } from '../sis/sis-change.js';
import { given, id, pupil, upsert } from '../../testing/sis-test-builders.js';

const receipt = { channel: 'kafka', receivedAt: '2026-09-01T08:00:00Z' } as const;

/** What the recorder does with one entity's changes, in arrival order: the events it appends. */
function record(changes: SisChange[]): EntityStreamEvent[] {
  let state = initialEntityStreamState;
  return changes.map((change) => {
    const event = decideRecordSisChange(state, change, receipt);
    state = evolveEntityStream(state, event);
    return event;
  });
}

/** What the desired-state host feeds the projection: only the changes the recorder applied. */
const applied = (events: EntityStreamEvent[]) => events.flatMap((e) => (e.type === SIS_CHANGE_RECORDED ? [e.data.change] : []));

describe('one ordering rule: the projection holds what the recorder applied', () => {
  it('given sequence 10, then a change without a sequence, then sequence 5 at a later time: the third is applied by both', () => {
    const at = (time: string, o: Partial<SisChange>, data = pupil('ada')): SisChange => ({ ...upsert(data), time, ...o });
    const changes = [
      at('2026-09-01T07:00:00Z', { sequence: '10' }),
      at('2026-09-01T07:01:00Z', {}),
      // Compared with the change it follows (no sequence), time decides: later, so it is the newest.
      at('2026-09-01T07:02:00Z', { sequence: '5' }, pupil('ada', { enrolments: [] })),
    ];
    const events = record(changes);
    assert.deepEqual(events.map((e) => e.type), [SIS_CHANGE_RECORDED, SIS_CHANGE_RECORDED, SIS_CHANGE_RECORDED]);

    const projection = given([]);
    const before = projection.applyAll(applied(events).slice(0, 2));
    assert.deepEqual([...before], [`person:${id('ada')}`], 'a pupil with an enrolment is sent');
    const third = projection.applyAll(applied(events).slice(2));
    assert.deepEqual([...third], [`person:${id('ada')}`], 'the third change reached the projection');
    assert.equal(projection.get('person', id('ada')), undefined, 'without enrolments the pupil is no longer sent');
  });

  it('given a change the recorder finds older, then the projection never sees it and keeps the newer one', () => {
    const events = record([
      { ...upsert(pupil('bo')), sequence: '000000000000000010' },
      { ...upsert(pupil('bo', { enrolments: [] })), sequence: '000000000000000009' },
    ]);
    assert.deepEqual(applied(events).length, 1);
    const projection = given([]);
    projection.applyAll(applied(events));
    assert.ok(projection.get('person', id('bo')));
  });
});
