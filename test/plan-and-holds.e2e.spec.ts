import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type GeneratedMunicipality, type MunicipalityState, objectsOf } from '@provsync/sample-data';
import { type CliResult, type Harness, runNodeScript, smallMunicipality, startHarness, writeNdjson } from './support/provsync-harness.js';

/** This build's CLI (bin/provsync.js runs dist/, which another build may be rewriting). */
const MAIN = fileURLToPath(new URL('./support/provsync-main.js', import.meta.url));
const cli = (harness: Harness, ...args: string[]): Promise<CliResult> => runNodeScript(MAIN, args, harness.env);

const DEPENDENCY_ORDER = ['persons', 'duties', 'groups', 'activities'];

/** Bulk writes the simulator took since the log was cleared, in order: `upsert person <id>` per object. */
function writes(harness: Harness): Array<{ operation: 'upsert' | 'delete'; collection: string; ids: string[] }> {
  return harness.sim
    .introspection!.requests()
    .filter((r) => r.method === 'POST' && /\/bulk(\/delete)?$/.test(r.path.split('?')[0]!) && r.status === 202)
    .map((r) => {
      const path = r.path.split('?')[0]!.replace(/^.*\/provisioning\/v1\//, '');
      return { operation: path.endsWith('/delete') ? 'delete' : 'upsert', collection: path.split('/')[0]!, ids: r.objectIds ?? [] };
    });
}

const SINGULAR: Record<string, string> = { persons: 'person', duties: 'duty', groups: 'group', activities: 'activity' };
const sentObjects = (harness: Harness) =>
  writes(harness)
    .flatMap((w) => w.ids.map((id) => `${w.operation} ${SINGULAR[w.collection]} ${id}`))
    .sort();

interface PlanJson {
  counts: Record<string, { create: number; update: number; delete: number; held: number }>;
  objects: Array<{ type: string; id: string; operation: string; reason: { kind: string; fields?: string[] } }>;
  held: Array<{ type: string; id: string; holdId: string | null }>;
  holds: Array<{ id: string; deletes: Record<string, number>; status: string }>;
}

async function plan(harness: Harness): Promise<PlanJson> {
  const result = await cli(harness, 'plan', '--json');
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as PlanJson;
}

const planned = (p: PlanJson) => p.objects.map((o) => `${o.operation === 'delete' ? 'delete' : 'upsert'} ${o.type} ${o.id}`).sort();

async function ingest(harness: Harness, name: string, events: readonly unknown[]): Promise<void> {
  const result = await cli(harness, 'ingest', writeNdjson(harness.dir, name, events));
  assert.equal(result.code, 0, result.stderr);
}

async function syncUntilIdle(harness: Harness): Promise<string[]> {
  const result = await cli(harness, 'sync', '--until-idle');
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim().split('\n');
}

/** The SIS deletes these pupils (an export without them). */
function dropPupils(state: MunicipalityState, ids: string[]): unknown[] {
  return ids.map((id, n) => ({
    specversion: '1.0',
    id: randomUUID(),
    source: state.source,
    type: 'se.ss12000.person.deleted',
    subject: id,
    time: new Date(state.lastTime + (n + 1) * 1_000).toISOString(),
    sequence: String(state.sequence + n + 1).padStart(18, '0'),
    actor: 'sis-user:export',
    datacontenttype: 'application/json',
  }));
}

const heldPersons = (harness: Harness) => new Set((harness.sim.introspection!.objects('persons') as Array<{ id: string }>).map((p) => p.id));

describe('plan and the mass-change guard, against the simulator over HTTPS', () => {
  let harness: Harness;
  let municipality: GeneratedMunicipality;
  let pupils: string[];
  before(async () => {
    harness = await startHarness();
    municipality = smallMunicipality();
    pupils = objectsOf(municipality.state, 'person').filter((p) => p.enrolments?.length).map((p) => p.id).sort();
    await ingest(harness, 'initial.ndjson', municipality.events);
  });
  after(() => harness?.stop());

  it('plan --json before the first sync equals, object for object, what that sync sends', async () => {
    const before = await plan(harness);
    assert.ok(before.objects.length > 100, `${before.objects.length} objects planned`);
    assert.ok(before.objects.every((o) => o.operation === 'create' && o.reason.kind === 'new-in-sis'));
    assert.equal(before.counts.person!.create, before.objects.filter((o) => o.type === 'person').length);
    assert.equal(writes(harness).length, 0, 'plan writes nothing at Skolverket');
    await syncUntilIdle(harness);
    assert.deepEqual(sentObjects(harness), planned(before));
    assert.deepEqual((await plan(harness)).objects, [], 'nothing left to send');
  });

  let dropped: string[];
  it('an export that drops 60 % of the pupils is held: the class updates go, every pupil stays at Skolverket', async () => {
    pupils = pupils.filter((id) => heldPersons(harness).has(id));
    assert.ok(pupils.length >= 40, `${pupils.length} pupils at Skolverket`);
    dropped = pupils.filter((_, n) => n % 5 < 3);
    await ingest(harness, 'dropped.ndjson', dropPupils(municipality.state, dropped));
    const before = await plan(harness);
    assert.deepEqual(before.holds.map((h) => ({ ...h, reason: undefined })), [{ id: 'hold-1', deletes: { person: dropped.length }, status: 'would be placed', reason: undefined }]);
    assert.deepEqual(before.held.map((h) => h.id).sort(), dropped);
    assert.ok(before.objects.length > 0 && before.objects.every((o) => o.operation === 'update' && o.type === 'group'), JSON.stringify(before.counts));
    assert.ok(before.objects.every((o) => o.reason.kind === 'changed' && o.reason.fields!.includes('groupMemberships')));

    harness.sim.introspection!.clearRequests();
    const lines = await syncUntilIdle(harness);
    assert.ok(lines.at(-1)!.includes(`hold-1 (deletes person ${dropped.length}: more deletes at once than the threshold allows`), lines.at(-1));
    assert.deepEqual(sentObjects(harness), planned(before), 'the sync sent what plan said, object for object');
    const held = heldPersons(harness);
    assert.ok(pupils.every((id) => held.has(id)), 'Skolverket keeps every pupil');

    const status = JSON.parse((await cli(harness, 'status', '--json')).stdout);
    assert.deepEqual(status.holds.map((h: { id: string; deletes: object }) => [h.id, h.deletes]), [['hold-1', { person: dropped.length }]]);
    assert.match(status.holds[0].reason, /threshold/);
    const text = await cli(harness, 'status');
    assert.ok(text.stdout.includes(`HOLD hold-1: deletes person ${dropped.length} wait`), text.stdout);
  });

  it('after approval the held pupils are deleted, after what referred to them; the decision names who and when', async () => {
    const approve = await cli(harness, 'holds', 'approve', 'hold-1');
    assert.equal(approve.code, 0, approve.stderr);
    const again = await cli(harness, 'holds', 'reject', 'hold-1');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /hold-1 was already approved by /);
    harness.sim.introspection!.clearRequests();
    const lines = await syncUntilIdle(harness);
    assert.doesNotMatch(lines.at(-1) ?? '', /idle but for held deletes/);
    const deletes = writes(harness).filter((w) => w.operation === 'delete');
    assert.deepEqual(deletes.flatMap((w) => w.ids).sort(), dropped);
    const order = writes(harness).map((w) => (w.operation === 'upsert' ? 0 : 10 - DEPENDENCY_ORDER.indexOf(w.collection)));
    assert.deepEqual(order, [...order].sort((a, b) => a - b), 'upserts first, then deletes Activity → Person');
    const held = heldPersons(harness);
    assert.ok(dropped.every((id) => !held.has(id)) && pupils.filter((id) => !dropped.includes(id)).every((id) => held.has(id)));
    const holds = JSON.parse((await cli(harness, 'holds', '--json')).stdout).holds;
    assert.equal(holds[0].status, 'approved');
    assert.ok(holds[0].decidedBy && !Number.isNaN(Date.parse(holds[0].decidedAt)));
    assert.deepEqual(JSON.parse((await cli(harness, 'status', '--json')).stdout).holds, []);
  });

  it('after a reject nothing is deleted', async () => {
    const left = pupils.filter((id) => !dropped.includes(id));
    const again = left.filter((_, n) => n % 5 < 3);
    await ingest(harness, 'dropped-again.ndjson', dropPupils({ ...municipality.state, sequence: municipality.state.sequence + 1_000 }, again));
    const first = await syncUntilIdle(harness);
    assert.ok(first.at(-1)!.includes(`hold-2 (deletes person ${again.length}:`), first.at(-1));
    const reject = await cli(harness, 'holds', 'reject', 'hold-2');
    assert.equal(reject.code, 0, reject.stderr);
    harness.sim.introspection!.clearRequests();
    await syncUntilIdle(harness);
    assert.deepEqual(writes(harness).filter((w) => w.operation === 'delete'), []);
    assert.ok(left.every((id) => heldPersons(harness).has(id)), 'Skolverket keeps them');
    const after = await plan(harness);
    assert.deepEqual([after.objects, after.holds], [[], []], 'nothing planned, nothing held again');
  });
});
