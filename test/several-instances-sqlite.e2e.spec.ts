import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { type Harness, smallMunicipality, startHarness, writeNdjson } from './support/provsync-harness.js';
import { eventually, freePort, Instance, killAll, runProvsync } from './support/provsync-instances.js';

describe('a second process on one SQLite store file', () => {
  let harness: Harness | undefined;
  const instances: Instance[] = [];
  after(async () => {
    await killAll(instances);
    await harness?.stop();
  });

  it('does not sync: `sync` says another process is syncing and exits 75; `serve` ingests only, and takes over once the first stops', async () => {
    harness = await startHarness({ jobDelayMs: 50 });
    const { events, summary } = smallMunicipality(40);
    const [first, ...rest] = [events.slice(0, 10), events.slice(10)];
    assert.equal((await runProvsync(['ingest', writeNdjson(harness.dir, 'first.ndjson', first)], harness.env)).code, 0);

    const syncing = new Instance('sync', ['sync'], harness.env);
    instances.push(syncing);
    const sim = harness.sim.introspection!;
    await eventually(() => (sim.requests().some((r) => r.method === 'POST' && r.status === 202) ? true : undefined), `the first process to sync:\n${syncing.output}`);

    const second = await runProvsync(['sync', '--until-idle'], harness.env);
    assert.equal(second.code, 75, second.stderr);
    assert.match(second.stderr, new RegExp(`process ${syncing.child.pid} on .* is syncing this store`));

    const port = await freePort();
    const serving = new Instance('serve', ['serve'], { ...harness.env, PROVSYNC_HTTP_PORT: String(port) });
    instances.push(serving);
    await eventually(async () => ((await fetch(`http://127.0.0.1:${port}/health/live`)).ok ? true : undefined), `serve to listen:\n${serving.output}`);
    await eventually(() => (serving.says(/another instance is syncing this organiser; this one ingests only/) ? true : undefined), 'serve to say it does not sync');

    // While the first process holds the store's sync, serve records new SIS changes but sends none of them.
    const body = rest.flat().map((e) => JSON.stringify(e)).join('\n');
    const posted = await fetch(`http://127.0.0.1:${port}/sis-events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
    assert.equal(posted.status, 200);
    assert.equal(((await posted.json()) as { recorded: number }).recorded, events.length - first.length);
    assert.ok(!serving.says(/now the sync leader/));

    // The first stops (its SIGTERM lets its calls finish); serve takes the store's sync over and sends the rest.
    syncing.kill('SIGTERM');
    const [code] = await syncing.exited;
    assert.equal(code, 0, syncing.output);
    await eventually(() => (serving.says(/now the sync leader/) ? true : undefined), 'serve to take over the sync', 15_000);
    const expected = summary.expected;
    await eventually(
      () => (sim.objects('persons').length === expected.persons && sim.objects('activities').length === expected.activities ? true : undefined),
      'Skolverket to hold the desired state',
      120_000,
    );
    serving.kill('SIGTERM');
    const [servedCode] = await serving.exited;
    assert.equal(servedCode, 0, serving.output);
  });
});
