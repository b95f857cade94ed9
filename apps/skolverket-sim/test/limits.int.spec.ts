import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { student } from './support/fixtures.js';
import { startTestSim, type Answer, type TestSim } from './support/client.js';

// A simulator per test, so one test's calls do not count in the next one's window.
let t: TestSim;
beforeEach(async () => {
  t = await startTestSim({ rateLimit: undefined }); // production limits: 5 writes, 10 reads per second
  await t.client.token();
});
afterEach(() => t.stop());

const nextWindow = () => new Promise((r) => setTimeout(r, 1100));
const rateHeaders = (a: Answer) => [a.headers['x-ratelimit-limit'], a.headers['x-ratelimit-remaining'], a.headers['x-ratelimit-reset']];

describe('limits as in production', () => {
  it('answers the sixth write within one second with 429, and sends the rate-limit headers on every answer', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 6; i++) answers.push(await t.client.api('POST', '/persons/bulk', { json: { data: [student()] } }));
    assert.deepEqual(answers.map((a) => a.status), [202, 202, 202, 202, 202, 429]);
    assert.deepEqual(answers.map((a) => a.headers['x-ratelimit-remaining']), ['4', '3', '2', '1', '0', '0']);
    for (const a of answers) assert.equal(a.headers['x-ratelimit-limit'], '5');
    assert.equal(answers[5]!.headers['x-ratelimit-reset'], '1');
    assert.equal(answers[5]!.json[0].id, '5021');
    await nextWindow();
    const later = await t.client.api('POST', '/persons/bulk', { json: { data: [student()] } });
    assert.equal(later.status, 202);
    assert.deepEqual(rateHeaders(later), ['5', '4', '1']);
  });

  it('counts job-status calls with writes, and reads apart with their own limit of 10', async () => {
    const accepted = await t.client.api('POST', '/persons/bulk', { json: { data: [student()] } });
    const statuses = [accepted.status];
    for (let i = 0; i < 4; i++) statuses.push((await t.client.api('GET', `/persons/bulk/jobs/${accepted.json.jobId}/isCompleted`)).status);
    statuses.push((await t.client.api('GET', `/persons/bulk/jobs/${accepted.json.jobId}`)).status);
    assert.deepEqual(statuses, [202, 200, 200, 200, 200, 429]);
    const reads: Answer[] = [];
    for (let i = 0; i < 11; i++) reads.push(await t.client.api('GET', '/persons?limit=1'));
    assert.deepEqual(reads.map((r) => r.status), [...Array(10).fill(200), 429]);
    assert.equal(reads[0]!.headers['x-ratelimit-limit'], '10');
  });

  it('answers a body over 204,800 bytes with 413, and takes one of exactly 204,800', async () => {
    const padded = (size: number) => {
      const head = '{"data":[],"pad":"';
      return `${head}${'x'.repeat(size - head.length - 2)}"}`;
    };
    assert.equal(Buffer.byteLength(padded(204_801)), 204_801);
    const tooLarge = await t.client.api('POST', '/persons/bulk', { raw: padded(204_801) });
    assert.equal(tooLarge.status, 413);
    assert.equal(tooLarge.json[0].id, '5020');
    assert.ok(tooLarge.headers['x-ratelimit-limit']);
    const justFits = await t.client.api('POST', '/persons/bulk', { raw: padded(204_800) });
    assert.equal(justFits.status, 202);
    const deletes = await t.client.api('POST', '/persons/bulk/delete', { raw: padded(300_000) });
    assert.equal(deletes.status, 413);
  });
});
