import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { objectsOf } from '@provsync/sample-data';
import { type Harness, smallMunicipality, startHarness, writeNdjson } from './support/provsync-harness.js';
import { eventually, freePort, Instance, killAll, runProvsync } from './support/provsync-instances.js';

const heldPersons = (harness: Harness) => new Set((harness.sim.introspection!.objects('persons') as Array<{ id: string }>).map((p) => p.id));

describe('a hold decided while provsync serve runs', () => {
  let harness: Harness;
  let serve: Instance;
  before(async () => {
    harness = await startHarness();
    serve = new Instance('serve', ['serve'], { ...harness.env, PROVSYNC_HTTP_PORT: String(await freePort()) });
  });
  after(async () => {
    await killAll(serve ? [serve] : []);
    await harness?.stop();
  });

  it('holds a 60 % pupil drop, keeps every pupil at Skolverket, and deletes them once approved from the CLI', async () => {
    const municipality = smallMunicipality();
    const load = await runProvsync(['ingest', writeNdjson(harness.dir, 'initial.ndjson', municipality.events)], harness.env);
    assert.equal(load.code, 0, load.stderr);
    const pupils = objectsOf(municipality.state, 'person').filter((p) => p.enrolments?.length).map((p) => p.id);
    const atSkolverket = await eventually(() => {
      const held = heldPersons(harness);
      return held.size > 0 && pupils.filter((id) => held.has(id)).length >= 40 ? pupils.filter((id) => held.has(id)) : undefined;
    }, 'the pupils at Skolverket');

    const dropped = atSkolverket.filter((_, n) => n % 5 < 3);
    const { state } = municipality;
    const deletes = dropped.map((id, n) => ({
      specversion: '1.0', id: randomUUID(), source: state.source, type: 'se.ss12000.person.deleted', subject: id,
      time: new Date(state.lastTime + (n + 1) * 1_000).toISOString(), sequence: String(state.sequence + n + 1).padStart(18, '0'),
      actor: 'sis-user:export', datacontenttype: 'application/json',
    }));
    const drop = await runProvsync(['ingest', writeNdjson(harness.dir, 'dropped.ndjson', deletes)], harness.env);
    assert.equal(drop.code, 0, drop.stderr);
    const holds = await eventually(async () => {
      const status = JSON.parse((await runProvsync(['status', '--json'], harness.env)).stdout);
      return status.holds.length ? status.holds : undefined;
    }, 'the hold in status');
    assert.deepEqual(holds.map((h: { id: string; deletes: object }) => [h.id, h.deletes]), [['hold-1', { person: dropped.length }]]);
    await new Promise((r) => setTimeout(r, 2_000));
    assert.ok(atSkolverket.every((id) => heldPersons(harness).has(id)), 'Skolverket keeps every pupil while the hold is open');

    const approve = await runProvsync(['holds', 'approve', 'hold-1'], harness.env);
    assert.equal(approve.code, 0, approve.stderr);
    await eventually(() => (dropped.every((id) => !heldPersons(harness).has(id)) ? true : undefined), 'the held pupils deleted by the running serve');
    const left = heldPersons(harness);
    assert.ok(atSkolverket.filter((id) => !dropped.includes(id)).every((id) => left.has(id)));
    assert.ok(serve.running, serve.output);
  });
});
