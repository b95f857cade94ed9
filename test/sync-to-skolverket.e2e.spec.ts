import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { endDuty, movePupil, objectsOf } from '@provsync/sample-data';
import { type Harness, provsync, smallMunicipality, startHarness, TODAY, writeNdjson } from './support/provsync-harness.js';

/** Bulk writes the simulator saw since the log was cleared: `POST /groups/bulk` → ids, in order. */
function bulkWrites(harness: Harness) {
  return harness.sim
    .introspection!.requests()
    .filter((r) => r.method === 'POST' && /\/bulk(\/delete)?$/.test(r.path.split('?')[0]) && r.status === 202)
    .map((r) => ({ call: `${r.method} ${r.path.split('?')[0].replace(/^.*\/provisioning\/v1/, '')}`, ids: r.objectIds ?? [] }));
}

async function ingestAndSync(harness: Harness, name: string, events: readonly unknown[]) {
  const ingest = await provsync(['ingest', writeNdjson(harness.dir, name, events)], harness.env);
  assert.equal(ingest.code, 0, ingest.stderr);
  const sync = await provsync(['sync', '--until-idle'], harness.env);
  assert.equal(sync.code, 0, sync.stderr);
}

describe('a municipality synced to Skolverket over HTTPS and mTLS', () => {
  let harness: Harness;
  let municipality = smallMunicipality();
  before(async () => {
    harness = await startHarness();
    await ingestAndSync(harness, 'initial.ndjson', municipality.events);
  });
  after(() => harness?.stop());

  it('ends with Skolverket holding exactly the expected objects', async () => {
    const held = harness.sim.introspection!;
    const expected = municipality.summary.expected;
    assert.deepEqual(
      [held.objects('persons').length, held.objects('duties').length, held.objects('groups').length, held.objects('activities').length],
      [expected.persons, expected.duties, expected.groups, expected.activities],
    );
    const status = JSON.parse((await provsync(['status', '--json'], harness.env)).stdout);
    assert.equal(status.entities.person.acknowledged, expected.persons);
    assert.equal(status.entities.activity.pending + status.entities.activity.inFlight + status.entities.activity.parked, 0);
  });

  it('a pupil moving class causes exactly both classes\' Group upserts and nothing else', async () => {
    const classes = objectsOf(municipality.state, 'group').filter((g) => g.groupType === 'Klass');
    const from = classes.find((g) => g.groupMemberships.length > 0)!;
    const to = classes.find((g) => g.id !== from.id && g.organisation.id === from.organisation.id)!;
    const pupilId = from.groupMemberships[0].person.id;
    const change = movePupil(municipality.state, pupilId, to.id, TODAY);
    municipality = { ...municipality, state: change.state };
    harness.sim.introspection!.clearRequests();

    await ingestAndSync(harness, 'move.ndjson', change.events);

    const writes = bulkWrites(harness).map((w) => ({ ...w, ids: [...w.ids].sort() }));
    assert.deepEqual(writes, [{ call: 'POST /groups/bulk', ids: [from.id, to.id].sort() }]);
    const stored = harness.sim.introspection!.objects('groups') as Array<{ id: string; groupMemberships?: Array<{ person: { id: string } }> }>;
    const members = (id: string) => (stored.find((g) => g.id === id)?.groupMemberships ?? []).map((m) => m.person.id);
    assert.ok(!members(from.id).includes(pupilId));
    assert.ok(members(to.id).includes(pupilId));
  });

  it('an ended teacher duty updates the Activity before the Duty is deleted', async () => {
    const activities = objectsOf(municipality.state, 'activity');
    const activity = activities.find((a) => a.teachers.length > 0)!;
    const dutyId = activity.teachers[0].duty.id;
    const change = endDuty(municipality.state, dutyId, dayBefore(TODAY));
    municipality = { ...municipality, state: change.state };
    harness.sim.introspection!.clearRequests();

    await ingestAndSync(harness, 'end-duty.ndjson', change.events);

    const writes = bulkWrites(harness);
    const activityUpdate = writes.findIndex((w) => w.call === 'POST /activities/bulk' && w.ids.includes(activity.id));
    const dutyDelete = writes.findIndex((w) => w.call === 'POST /duties/bulk/delete' && w.ids.includes(dutyId));
    assert.ok(activityUpdate >= 0, `activity re-sent: ${JSON.stringify(writes)}`);
    assert.ok(dutyDelete > activityUpdate, `duty deleted after the activity update: ${JSON.stringify(writes)}`);
    const held = harness.sim.introspection!;
    assert.ok(!(held.objects('duties') as Array<{ id: string }>).some((d) => d.id === dutyId));
    const stored = (held.objects('activities') as Array<{ id: string; teachers?: Array<{ duty: { id: string } }> }>).find((a) => a.id === activity.id);
    assert.ok(stored && !(stored.teachers ?? []).some((t) => t.duty.id === dutyId));
  });
});

function dayBefore(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
