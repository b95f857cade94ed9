import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SqliteEventStore } from '@provsync/event-store';
import { fillStore, fixtureId } from '../../testing/audit/audit-history-fixture.js';
import { explainAsOf } from './run-explain-as-of.js';

/** The fixture records ten events a day from 2026-09-01 09:00 UTC; the reference data is its 13th event (2026-09-02). */
describe('explain --as-of: the desired state replayed to a moment, with that day as "today"', () => {
  let store: SqliteEventStore;
  before(async () => {
    store = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'explain-as-of-')), 'store.db'));
    await fillStore(store);
  });
  after(() => store.close());

  it('nothing before the reference data was read; a pupil sent while their enrolment lasts, not once its end date has passed', async () => {
    assert.equal(await explainAsOf(store, fixtureId('p8'), new Date('2026-09-01T12:00:00Z')), undefined);
    const during = await explainAsOf(store, fixtureId('p8'), new Date('2026-09-04T12:00:00Z'));
    assert.deepEqual([during?.today, during?.sent], ['2026-09-04', true]);
    // No SIS change between the two: only the day moved on.
    const ended = await explainAsOf(store, fixtureId('p8'), new Date('2026-09-05T12:00:00Z'));
    assert.deepEqual([ended?.today, ended?.sent], ['2026-09-05', false]);
    assert.ok(ended!.reasons.length > 0);
  });

  it('a change recorded after the moment is not seen: p5 sent before its ended enrolment came, not after', async () => {
    const before = await explainAsOf(store, fixtureId('p5'), new Date('2026-09-04T12:00:00Z'));
    assert.equal(before?.sent, true);
    const later = await explainAsOf(store, fixtureId('p5'), new Date('2026-12-01T00:00:00Z'));
    assert.equal(later?.sent, false);
    assert.equal((await explainAsOf(store, fixtureId('p7'), new Date('2026-12-01T00:00:00Z')))?.entity, undefined, 'a deleted person is not held');
    assert.equal((await explainAsOf(store, fixtureId('p7'), new Date('2026-09-04T12:00:00Z')))?.entity, 'person', 'but was before');
  });
});
