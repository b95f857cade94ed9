import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { endDuty, objectsOf } from '@provsync/sample-data';
import { COMMANDS } from '../apps/provsync/src/cli/commands.js';
import { type Harness, provsync, smallMunicipality, startHarness, writeLines } from './support/provsync-harness.js';

describe('the provsync CLI', () => {
  let harness: Harness;
  const municipality = smallMunicipality(40);
  const duty = objectsOf(municipality.state, 'duty')[0];
  const ended = endDuty(municipality.state, duty.id, '2020-01-01');
  before(async () => {
    harness = await startHarness();
    const events = [...municipality.events, ...ended.events];
    const lines = events.map((e) => JSON.stringify(e));
    lines.splice(3, 0, '{"specversion":"1.0","id":"x"', JSON.stringify({ ...events[5], id: 'bad-1', subject: 'not-a-uuid' }));
    const file = writeLines(harness.dir, 'with-bad-lines.ndjson', lines);
    const ingest = await provsync(['ingest', file], harness.env);
    assert.equal(ingest.code, 0, ingest.stderr);
    assert.match(ingest.stdout, new RegExp(`recorded ${events.length}, .* rejected 2`));
    assert.equal((await provsync(['sync', '--until-idle'], harness.env)).code, 0);
  });
  after(() => harness?.stop());

  it('help and --help list every command with a line each', async () => {
    for (const flag of ['help', '--help']) {
      const { stdout, code } = await provsync([flag], harness.env);
      assert.equal(code, 0);
      for (const command of Object.values(COMMANDS)) assert.ok(stdout.includes(`provsync ${command.usage}`), command.usage);
    }
  });

  it('status --json prints the one documented object', async () => {
    const status = JSON.parse((await provsync(['status', '--json'], harness.env)).stdout);
    assert.deepEqual(Object.keys(status), ['storedEvents', 'rejectedInputs', 'entities', 'skolverket', 'holds']);
    assert.deepEqual(status.holds, [], 'no hold: the mass-change guard held nothing');
    assert.deepEqual(status.skolverket, { available: true });
    assert.deepEqual(Object.keys(status.entities), ['person', 'duty', 'group', 'activity']);
    assert.deepEqual(Object.keys(status.entities.person), ['desired', 'acknowledged', 'pending', 'inFlight', 'parked']);
    assert.equal(status.rejectedInputs, 2);
    assert.equal(status.entities.duty.desired, municipality.summary.expected.duties - 1);
    assert.equal(status.entities.duty.acknowledged, status.entities.duty.desired);
  });

  it('rejected lists each bad line with the field and the reason', async () => {
    const { stdout } = await provsync(['rejected'], harness.env);
    assert.match(stdout, /with-bad-lines\.ndjson:4: \(body\) .*JSON/);
    assert.match(stdout, /with-bad-lines\.ndjson:5: subject /);
  });

  it('explain says a sent pupil is sent and acknowledged, and why an ended duty is not sent', async () => {
    const pupil = objectsOf(municipality.state, 'person').find((p) => p.enrolments?.length)!;
    const sent = await provsync(['explain', pupil.id], harness.env);
    assert.equal(sent.code, 0);
    assert.match(sent.stdout, /sent/i);
    assert.match(sent.stdout, /acknowledged/);
    assert.ok(!sent.stdout.includes(pupil.civicNo!.value), 'no personnummer in the explanation');
    assert.ok(!sent.stdout.includes(pupil.familyName), 'no name in the explanation');

    const notSent = await provsync(['explain', duty.id], harness.env);
    assert.match(notSent.stdout, /not sent/i);
    assert.match(notSent.stdout, /ended|2020-01-01/);
  });

  it('a missing setting stops the process with one line naming the variable', async () => {
    const { PROVSYNC_CLIENT_CERT: _cert, ...env } = harness.env;
    const result = await provsync(['sync', '--until-idle'], env);
    assert.equal(result.code, 78);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.match(result.stderr, /PROVSYNC_CLIENT_CERT/);
  });
});
