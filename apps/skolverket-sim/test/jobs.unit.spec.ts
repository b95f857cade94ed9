import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { JobEngine } from '../src/domain/jobs.js';
import { Reference } from '../src/domain/reference.js';
import { defaultSeed } from '../src/domain/seed.js';
import { ObjectStore } from '../src/domain/store.js';
import { duty, group, staff, student } from './support/fixtures.js';

const OUR = '2120000001';

function engine(share = 0) {
  const store = new ObjectStore();
  const jobs = new JobEngine({
    store,
    reference: new Reference(defaultSeed(new Date())),
    delayMs: 0,
    temporaryErrorShare: () => share,
    random: () => 0.5,
    clock: () => new Date(),
    locationOf: (type, id) => `https://sim/${type}/${id}`,
  });
  const run = async (...args: Parameters<JobEngine['submit']>) => {
    const job = jobs.submit(...args);
    while (!job.completed) await new Promise((r) => setTimeout(r, 1));
    return job.responses.map((r) => `${r.response.status}:${r.response.statusCode}${r.response.errors ? `:${r.response.errors[0]!.id}` : ''}`);
  };
  return { store, jobs, run };
}

describe('bulk jobs', () => {
  it('answer Pending until processed, then one result per object, one bad object not blocking the others', async () => {
    const { jobs, store } = engine();
    const good = student();
    const job = jobs.submit('person', 'upsert', OUR, [good, student({ givenName: '' })]);
    assert.equal(job.completed, false);
    assert.deepEqual(job.responses.map((r) => r.response.status), ['Pending', 'Pending']);
    while (!job.completed) await new Promise((r) => setTimeout(r, 1));
    assert.deepEqual(job.responses.map((r) => r.response.status), ['Success', 'Error']);
    assert.equal(job.responses[0]!.response.location, `https://sim/person/${good.id}`);
    assert.equal(job.responses[1]!.response.errors![0]!.resourceType, 'Person');
    assert.ok(store.get('person', good.id));
  });

  it('create refuses what exists unless updateIfExists; update refuses what does not exist', async () => {
    const { run } = engine();
    const p = student();
    assert.deepEqual(await run('person', 'upsert', OUR, [p]), ['Success:201']);
    assert.deepEqual(await run('person', 'upsert', OUR, [p]), ['Error:409:4090']);
    assert.deepEqual(await run('person', 'upsert', OUR, [p], true), ['Success:200']);
    assert.deepEqual(await run('person', 'update', OUR, [p]), ['Success:200']);
    assert.deepEqual(await run('person', 'update', OUR, [student()]), ['Error:404:4040']);
    assert.deepEqual(await run('person', 'upsert', '2120000002', [p], true), ['Error:409:4092']);
  });

  it('refuses to delete what is still referred to, or what is not there', async () => {
    const { run } = engine();
    const teacher = staff();
    const pupil = student();
    const d = duty(teacher.id);
    const g = group([pupil.id]);
    await run('person', 'upsert', OUR, [teacher, pupil]);
    await run('duty', 'upsert', OUR, [d]);
    await run('group', 'upsert', OUR, [g]);
    assert.deepEqual(await run('person', 'delete', OUR, [teacher.id, pupil.id, randomUUID()]), ['Error:409:4091', 'Error:409:4091', 'Error:404:4040']);
    assert.deepEqual(await run('group', 'delete', OUR, [g.id]), ['Success:200']);
    assert.deepEqual(await run('duty', 'delete', OUR, [d.id]), ['Success:200']);
    assert.deepEqual(await run('person', 'delete', OUR, [teacher.id, pupil.id]), ['Success:200', 'Success:200']);
  });

  it('answers TemporaryError for the configured share of objects and stores none of them', async () => {
    const { run, store } = engine(1);
    const p = student();
    assert.deepEqual(await run('person', 'upsert', OUR, [p]), ['TemporaryError:503:5023']);
    assert.equal(store.get('person', p.id), undefined);
    assert.deepEqual(await engine(0.4).run('person', 'upsert', OUR, [student()]), ['Success:201']); // random() is 0.5
  });

  it('finds a job only under its own type and organiser', () => {
    const { jobs } = engine();
    const job = jobs.submit('group', 'upsert', OUR, []);
    assert.equal(jobs.find('group', job.id, OUR), job);
    assert.equal(jobs.find('person', job.id, OUR), undefined);
    assert.equal(jobs.find('group', job.id, '2120000002'), undefined);
    jobs.stop();
  });
});
