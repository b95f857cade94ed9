import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { syncCrashingAt } from './support/crashing-provsync.js';
import { type Harness, provsync, smallMunicipality, startHarness, writeNdjson } from './support/provsync-harness.js';

/** How often each object id was in an accepted bulk write, and the job reads, from the simulator's log. */
function traffic(harness: Harness) {
  const log = harness.sim.introspection!.requests();
  const sends = new Map<string, number>();
  for (const r of log) {
    if (r.method !== 'POST' || !/\/bulk(\/delete)?$/.test(r.path.split('?')[0]) || r.status !== 202) continue;
    for (const id of r.objectIds ?? []) sends.set(id, (sends.get(id) ?? 0) + 1);
  }
  const jobReads = log.filter((r) => r.method === 'GET' && /\/bulk\/jobs\/[^/?]+(\?|$)/.test(r.path)).map((r) => r.path);
  return { sends, jobReads };
}

async function assertSkolverketHoldsDesiredState(harness: Harness, expected: ReturnType<typeof smallMunicipality>['summary']['expected']) {
  const held = harness.sim.introspection!;
  assert.deepEqual(
    [held.objects('persons').length, held.objects('duties').length, held.objects('groups').length, held.objects('activities').length],
    [expected.persons, expected.duties, expected.groups, expected.activities],
  );
  const status = JSON.parse((await provsync(['status', '--json'], harness.env)).stdout);
  for (const type of ['person', 'duty', 'group', 'activity']) {
    assert.equal(status.entities[type].pending + status.entities[type].inFlight + status.entities[type].parked, 0, type);
  }
}

describe('the sync process killed mid-flight resumes from the event store', () => {
  let harness: Harness;
  afterEach(() => harness?.stop());

  it('killed while a job is in flight: reads that job\'s result after restart and sends nothing twice', async () => {
    harness = await startHarness({ jobDelayMs: 400 });
    const municipality = smallMunicipality();
    assert.equal((await provsync(['ingest', writeNdjson(harness.dir, 'm.ndjson', municipality.events)], harness.env)).code, 0);

    const killed = await syncCrashingAt('after-accept', ['--until-idle'], harness.env);
    assert.equal(killed.signal, 'SIGKILL', killed.stderr);
    const firstJob = /accepted as job ([0-9a-f-]+)/.exec(killed.stderr)?.[1];
    assert.ok(firstJob, killed.stderr);
    assert.equal(traffic(harness).jobReads.length, 0, 'the job was not read before the kill');

    const resumed = await provsync(['sync', '--until-idle'], harness.env);
    assert.equal(resumed.code, 0, resumed.stderr);

    const { sends, jobReads } = traffic(harness);
    assert.ok(jobReads.some((path) => path.includes(firstJob)), 'the recorded job was read after the restart');
    const twice = [...sends].filter(([, n]) => n > 1);
    assert.deepEqual(twice, [], 'no object was sent twice');
    await assertSkolverketHoldsDesiredState(harness, municipality.summary.expected);
  });

  it('killed after Skolverket accepted a batch but before its job id was recorded: re-sends only that batch', async () => {
    harness = await startHarness({ jobDelayMs: 100 });
    const municipality = smallMunicipality();
    assert.equal((await provsync(['ingest', writeNdjson(harness.dir, 'm.ndjson', municipality.events)], harness.env)).code, 0);

    const killed = await syncCrashingAt('after-submit', ['--until-idle'], harness.env);
    assert.equal(killed.signal, 'SIGKILL', killed.stderr);
    const { sends: beforeRestart } = traffic(harness);
    const lostBatch = [...beforeRestart.keys()];
    assert.ok(lostBatch.length > 0);

    const resumed = await provsync(['sync', '--until-idle'], harness.env);
    assert.equal(resumed.code, 0, resumed.stderr);

    const { sends } = traffic(harness);
    const twice = [...sends].filter(([, n]) => n > 1).map(([id]) => id).sort();
    assert.deepEqual(twice, [...lostBatch].sort(), 'exactly the unrecorded batch went twice');
    assert.ok([...sends.values()].every((n) => n <= 2));
    await assertSkolverketHoldsDesiredState(harness, municipality.summary.expected);
  });
});
