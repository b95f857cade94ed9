import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SisChange } from '../sis/sis-change.js';
import {
  decideRecordSisChange,
  evolveEntityStream,
  initialEntityStreamState,
  isOlder,
  type EntityStreamState,
} from './record-sis-change.decider.js';
import { OUT_OF_ORDER_SIS_CHANGE_RECORDED, SIS_CHANGE_RECORDED, type Receipt } from './recording-events.js';

const receipt: Receipt = { channel: 'file', receivedAt: '2026-08-14T08:00:00.000Z' };
const change = (over: Partial<SisChange>): SisChange => ({
  entity: 'person',
  action: 'upserted',
  subject: '153561da-4948-4306-9d4d-67f96fd3f0f0',
  source: 'urn:sis:a',
  id: 'e-1',
  time: '2026-08-14T07:00:00.000Z',
  data: { id: '153561da-4948-4306-9d4d-67f96fd3f0f0' },
  ...over,
});

// given(events).when(change).then(event type)
function given(...changes: SisChange[]): EntityStreamState {
  return changes.reduce(
    (state, c) => evolveEntityStream(state, decideRecordSisChange(state, c, receipt)),
    initialEntityStreamState,
  );
}

describe('recording a SIS change', () => {
  it('applies the first change of an entity', () => {
    assert.equal(decideRecordSisChange(given(), change({}), receipt).type, SIS_CHANGE_RECORDED);
  });

  it('applies a change with a higher sequence', () => {
    const state = given(change({ sequence: '000000000000000010' }));
    assert.equal(decideRecordSisChange(state, change({ id: 'e-2', sequence: '000000000000000011' }), receipt).type, SIS_CHANGE_RECORDED);
  });

  it('keeps a change with a lower sequence for audit only, naming the change that supersedes it', () => {
    const state = given(change({ sequence: '000000000000000010', time: '2026-08-14T07:00:00Z' }));
    const decided = decideRecordSisChange(state, change({ id: 'e-0', sequence: '000000000000000009', time: '2026-08-14T09:00:00Z' }), receipt);
    assert.equal(decided.type, OUT_OF_ORDER_SIS_CHANGE_RECORDED);
    assert.equal(decided.type === OUT_OF_ORDER_SIS_CHANGE_RECORDED && decided.data.supersededBy.sequence, '000000000000000010');
  });

  it('an out-of-order change leaves the applied one in place', () => {
    const state = given(change({ sequence: '10' }), change({ id: 'e-0', sequence: '9' }));
    assert.equal(state.applied?.sequence, '10');
  });

  it('orders by time when there is no sequence', () => {
    const state = given(change({ time: '2026-08-14T07:00:00Z' }));
    assert.equal(decideRecordSisChange(state, change({ id: 'e-2', time: '2026-08-14T06:59:59Z' }), receipt).type, OUT_OF_ORDER_SIS_CHANGE_RECORDED);
    assert.equal(decideRecordSisChange(state, change({ id: 'e-3', time: '2026-08-14T07:00:01Z' }), receipt).type, SIS_CHANGE_RECORDED);
  });

  it('orders by time across sources, whose sequences are not comparable', () => {
    const state = given(change({ source: 'urn:sis:a', sequence: '900', time: '2026-08-14T07:00:00Z' }));
    const other = change({ source: 'urn:sis:b', id: 'x', sequence: '1', time: '2026-08-14T08:00:00Z' });
    assert.equal(decideRecordSisChange(state, other, receipt).type, SIS_CHANGE_RECORDED);
  });

  it('compares sequences numerically whatever their padding', () => {
    const order = (sequence: string) => ({ source: 's', sequence, time: '2026-01-01T00:00:00Z' });
    assert.equal(isOlder(order('9'), order('000010')), true);
    assert.equal(isOlder(order('000010'), order('9')), false);
    assert.equal(isOlder(order('10'), order('10')), false);
  });

  it('applies a delete like any other change, by order', () => {
    const state = given(change({ sequence: '5' }));
    assert.equal(decideRecordSisChange(state, change({ id: 'd', action: 'deleted', data: null, sequence: '6' }), receipt).type, SIS_CHANGE_RECORDED);
  });
});
