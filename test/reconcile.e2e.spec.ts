import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { ObjectType, Person } from '@provsync/skolverket-api';
import { SkolverketClient } from '@provsync/skolverket-client';
import { type Harness, runNodeScript, smallMunicipality, startHarness, writeNdjson } from './support/provsync-harness.js';
import { grSchoolUnitId, testPupil } from './support/simulator-fixture.js';

/** This build's CLI (bin/provsync.js runs dist/, which a parallel build may not have yet). */
const MAIN = fileURLToPath(new URL('./support/provsync-main.js', import.meta.url));
const provsync = (args: string[], env: NodeJS.ProcessEnv) => runNodeScript(MAIN, args, env);
const COLLECTIONS = ['persons', 'duties', 'groups', 'activities'] as const;

type Shown = Record<string, unknown> & { id: string };

/** What Skolverket holds, per collection and id, without its own meta and provisioningStatus. */
function holdings(harness: Harness): Map<string, string> {
  const held = new Map<string, string>();
  for (const collection of COLLECTIONS) {
    for (const object of harness.sim.introspection!.objects(collection) as Shown[]) {
      const { meta: _meta, provisioningStatus: _status, ...body } = object;
      held.set(`${collection}/${object.id}`, JSON.stringify(body));
    }
  }
  return held;
}

/** Every Provisioning API call that is not a read (writes and job-status calls), as the simulator logged them. */
function writeCalls(harness: Harness) {
  const isRead = (method: string, path: string) => (method === 'GET' && !/\/bulk\/jobs\//.test(path)) || /\/lookup$/.test(path);
  return harness.sim.introspection!.requests().filter((r) => r.path.includes('/provisioning/v1') && !isRead(r.method, r.path.split('?')[0]!));
}

/** Accepted bulk writes: `POST /persons/bulk` → its ids, sorted, the calls sorted. */
function bulkWrites(harness: Harness): string[] {
  return harness.sim
    .introspection!.requests()
    .filter((r) => r.method === 'POST' && /\/bulk(\/delete)?$/.test(r.path.split('?')[0]!) && r.status === 202)
    .map((r) => `${r.path.split('?')[0]!.replace(/^.*\/provisioning\/v1/, '')} ${[...(r.objectIds ?? [])].sort().join(',')}`)
    .sort();
}

async function run(args: string[], env: NodeJS.ProcessEnv) {
  const result = await provsync(args, env);
  assert.equal(result.code, 0, `provsync ${args.join(' ')}: ${result.stderr}`);
  return result;
}

/** Another client of the same organiser changes Skolverket behind provsync's back: one change, one deletion, one addition. */
async function driftBehindTheBack(client: SkolverketClient, harness: Harness) {
  const [person] = (await client.lookup('person', [(harness.sim.introspection!.objects('persons') as Shown[])[0]!.id])) as unknown as Shown[];
  const { meta: _m, provisioningStatus: _p, ...changed } = person!;
  const activity = (harness.sim.introspection!.objects('activities') as Shown[])[0]!;
  const leftover = testPupil(await grSchoolUnitId(client, harness.sim.organisationNumber), 901);
  await untilDone(client, 'person', (await client.submitUpserts('person', [{ ...changed, givenName: 'Ändrad' } as unknown as Person, leftover])).jobId);
  await untilDone(client, 'activity', (await client.submitDeletes('activity', [activity.id])).jobId);
  return { changed: person!.id, deleted: activity.id, added: leftover.id };
}

async function untilDone(client: SkolverketClient, type: ObjectType, jobId: string) {
  while (!(await client.isJobCompleted(type, jobId))) await sleep(50);
  const answer = await client.jobResult(type, jobId);
  assert.ok(answer.responses.every((r) => r.response.status === 'Success'), JSON.stringify(answer.responses));
}

describe('provsync reconcile: reading what Skolverket holds, over HTTPS and mTLS', () => {
  let harness: Harness;
  let other: SkolverketClient;
  let expected: Map<string, string>;
  const municipality = smallMunicipality();
  let file: string;

  before(async () => {
    harness = await startHarness();
    file = writeNdjson(harness.dir, 'export.ndjson', municipality.events);
    // Skolverket already holds the organiser's data, loaded by another client with its own store.
    const elsewhere = { ...harness.env, PROVSYNC_STORE: `sqlite:${join(harness.dir, 'elsewhere.db')}` };
    await run(['ingest', file], elsewhere);
    await run(['sync', '--until-idle'], elsewhere);
    expected = holdings(harness);
    other = new SkolverketClient({
      authUrl: harness.sim.authUrl,
      jwksUrl: harness.sim.jwksUrl,
      openDataUrl: harness.sim.openDataUrl,
      provisioningUrl: harness.sim.provisioningUrl,
      clientCert: readFileSync(harness.sim.clientCert, 'utf8'),
      clientKey: readFileSync(harness.sim.clientKey, 'utf8'),
      ca: readFileSync(harness.sim.ca, 'utf8'),
    });
  });
  after(async () => {
    await other?.close();
    await harness?.stop();
  });

  it('Adopt: a fresh store re-sends nothing that Skolverket holds equal; it writes only the differences and leftovers', async () => {
    const drift = await driftBehindTheBack(other, harness);
    await run(['ingest', file], harness.env);
    harness.sim.introspection!.clearRequests();

    const dryRun = JSON.parse((await run(['reconcile', '--json'], harness.env)).stdout);
    assert.deepEqual(writeCalls(harness), [], 'without --apply nothing is written');
    const untouched = JSON.parse((await run(['status', '--json'], harness.env)).stdout);
    assert.equal(untouched.entities.person.acknowledged, 0, 'without --apply nothing is recorded');
    harness.sim.introspection!.clearRequests();

    const { stdout } = await run(['reconcile', '--apply', '--json'], harness.env);

    assert.deepEqual(JSON.parse(stdout).objects, dryRun.objects, 'the dry run said what --apply sends');
    assert.deepEqual(bulkWrites(harness), [`/activities/bulk ${drift.deleted}`, `/persons/bulk ${drift.changed}`, `/persons/bulk/delete ${drift.added}`]);
    const report = JSON.parse(stdout);
    assert.deepEqual(
      report.objects.map((o: { type: string; operation: string; id: string; reason: { found?: string } }) => `${o.operation} ${o.type} ${o.id} ${o.reason.found}`),
      [`update person ${drift.changed} different`, `create activity ${drift.deleted} missing`, `delete person ${drift.added} leftover`],
      'the same shape as plan --json, each object with the drift found',
    );
    assert.deepEqual(report.counts.person, { create: 0, update: 1, delete: 1, held: 0 });
    assert.equal(report.reconcile.byType.person.equal, municipality.summary.expected.persons - 1);
    assert.deepEqual(holdings(harness), expected, 'Skolverket ends holding the desired state');
    const status = JSON.parse((await run(['status', '--json'], harness.env)).stdout);
    assert.equal(status.entities.person.acknowledged, municipality.summary.expected.persons);
    assert.equal(status.entities.group.pending + status.entities.activity.pending + status.entities.person.pending, 0);
  });

  it('Lost store: after the store is deleted and a full export ingested again, reconcile --apply writes nothing at all', async () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(harness.dir, `provsync.db${suffix}`), { force: true });
    await run(['ingest', file], harness.env);
    harness.sim.introspection!.clearRequests();

    const { stdout } = await run(['reconcile', '--apply', '--json'], harness.env);

    assert.deepEqual(writeCalls(harness).map((r) => `${r.method} ${r.path}`), []);
    const reads = harness.sim.introspection!.requests().filter((r) => /\/provisioning\/v1\/(persons|duties|groups|activities)(\?|$|\/lookup)/.test(r.path));
    const report = JSON.parse(stdout);
    assert.equal(reads.length, report.reconcile.readCalls, 'every list page and lookup, and nothing else');
    assert.deepEqual(report.objects, []);
    assert.deepEqual(holdings(harness), expected);
  });

  it('Drift: what changes at Skolverket behind provsync\'s back is found and put right by the next scheduled reconcile in serve', async () => {
    const env = { ...harness.env, PROVSYNC_HTTP_PORT: '0', PROVSYNC_RECONCILE_INTERVAL: '2s' };
    const serve: ChildProcess = spawn(process.execPath, [MAIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    serve.stdout!.on('data', (chunk) => (log += chunk));
    serve.stderr!.on('data', (chunk) => (log += chunk));
    try {
      await eventually(() => /reconcile read Skolverket/.test(log), () => `the first scheduled reconcile; serve logged:\n${log}`, 30_000);
      const drift = await driftBehindTheBack(other, harness);
      assert.notDeepEqual(holdings(harness), expected);
      harness.sim.introspection!.clearRequests();
      await eventually(() => sameMap(holdings(harness), expected), () => `serve to put right ${JSON.stringify(drift)}; serve logged:\n${log}`, 60_000);
      assert.deepEqual(bulkWrites(harness), [`/activities/bulk ${drift.deleted}`, `/persons/bulk ${drift.changed}`, `/persons/bulk/delete ${drift.added}`]);
      assert.match(log, /reconcile read Skolverket in \d+ read calls: .*(missing|different|leftover) [1-9]/);
    } finally {
      serve.kill('SIGTERM');
      await new Promise((resolve) => serve.once('close', resolve));
    }
  });
});

async function eventually(probe: () => boolean, what: () => string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what()}`);
    await sleep(100);
  }
}

const sameMap = (a: Map<string, string>, b: Map<string, string>) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
