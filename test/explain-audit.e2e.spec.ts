import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { type MunicipalityState, objectsOf, updatePerson } from '@provsync/sample-data';
import { auditLauncher, runCli } from './support/audit-cli.js';
import { type Harness, smallMunicipality, startHarness, TODAY, writeNdjson } from './support/provsync-harness.js';

/** Issue 11 items 3 and 5 for `explain`: a past moment replayed, and every answer about a person recorded. */
describe('provsync explain: --as-of a past moment, and access to personal data audited', () => {
  let harness: Harness;
  let bin: string;
  let state: MunicipalityState;
  let pupil = '';
  let whileEnrolled = '';
  let afterEnded = '';
  const accessesOf = async (sisId: string) => {
    const result = await runCli(bin, ['history', sisId, '--json', '--show-protected'], harness.env);
    assert.equal(result.code, 0, result.stderr);
    return (JSON.parse(result.stdout).entries as { kind: string; command: string; who: string; protectedShown: boolean }[]).filter((e) => e.kind === 'access');
  };
  const ingest = async (name: string, events: unknown[]) => {
    const result = await runCli(bin, ['ingest', writeNdjson(harness.dir, name, events)], harness.env);
    assert.equal(result.code, 0, result.stderr);
  };

  before(async () => {
    harness = await startHarness();
    bin = auditLauncher(harness.dir);
    const municipality = smallMunicipality(30);
    state = municipality.state;
    await ingest('initial.ndjson', municipality.events);
    assert.equal((await runCli(bin, ['sync', '--until-idle'], harness.env)).code, 0);
    pupil = objectsOf(state, 'person').find((p) => p.enrolments?.length)!.id;
    await new Promise((r) => setTimeout(r, 20));
    whileEnrolled = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    // Every enrolment ended long ago: the pupil is no longer to be sent.
    const ended = updatePerson(state, pupil, (p) => ({ ...p, enrolments: p.enrolments!.map((e) => ({ ...e, endDate: '2020-06-15' })) }), TODAY);
    state = ended.state;
    await ingest('ended.ndjson', ended.events);
    await new Promise((r) => setTimeout(r, 20));
    afterEnded = new Date().toISOString();
  });
  after(() => harness?.stop());

  it('--as-of gives what was desired, and why, at each of two moments between which the pupil\'s enrolments ended', async () => {
    const then = await runCli(bin, ['explain', pupil, '--as-of', whileEnrolled, '--json'], harness.env);
    assert.equal(then.code, 0, then.stderr);
    const before = JSON.parse(then.stdout);
    assert.deepEqual([before.asOf, before.sent, before.sentAs], [whileEnrolled, true, [{ type: 'person', id: pupil }]]);
    assert.equal(before.today, TODAY);
    const later = JSON.parse((await runCli(bin, ['explain', pupil, '--as-of', afterEnded, '--json'], harness.env)).stdout);
    assert.equal(later.sent, false);
    assert.ok(later.reasons.length > 0, 'with the rule\'s reason');
    const now = await runCli(bin, ['explain', pupil], harness.env);
    assert.match(now.stdout, /: not sent/, 'and today\'s explain agrees with the later moment');
    const text = await runCli(bin, ['explain', pupil, '--as-of', whileEnrolled], harness.env);
    assert.match(text.stdout, new RegExp(`^as of ${whileEnrolled} \\(today ${TODAY}`));
    assert.match(text.stdout, new RegExp(`person ${pupil}: sent as person ${pupil}`));
  });

  it('--as-of before provsync had read Skolverket\'s open data explains nothing; a bad or future time is named with the reason', async () => {
    const early = await runCli(bin, ['explain', pupil, '--as-of', '2001-01-01'], harness.env);
    assert.equal(early.code, 1);
    assert.match(early.stdout, /had not yet read Skolverket's open data/);
    const bad = await runCli(bin, ['explain', pupil, '--as-of', 'yesterday'], harness.env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--as-of: not a time/);
    const future = await runCli(bin, ['explain', pupil, '--as-of', '2999-01-01'], harness.env);
    assert.equal(future.code, 2);
    assert.match(future.stderr, /--as-of: .* is in the future/);
  });

  it('every explain answer about a person is recorded as an access by the OS user; one about a group is not', async () => {
    const before = await accessesOf(pupil);
    const shown = await runCli(bin, ['explain', pupil], harness.env);
    assert.equal(shown.code, 0, shown.stderr);
    const after = await accessesOf(pupil);
    // The history call above recorded itself too: the explain access sits between the two history accesses.
    const explains = (list: typeof before) => list.filter((a) => a.command === 'explain');
    assert.equal(explains(after).length, explains(before).length + 1);
    assert.deepEqual(explains(after).at(-1), { ...explains(after).at(-1)!, who: userInfo().username, protectedShown: false });
    const group = objectsOf(state, 'group')[0]!;
    const groupAnswer = await runCli(bin, ['explain', group.id], harness.env);
    assert.equal(groupAnswer.code, 0, groupAnswer.stderr);
    const groupHistory = JSON.parse((await runCli(bin, ['history', group.id, '--json'], harness.env)).stdout);
    assert.ok(!groupHistory.entries.some((e: { kind: string; command?: string }) => e.kind === 'access' && e.command === 'explain'));
  });

  it('a protected identity is explained only with --show-protected, now or --as-of, and that access is recorded as such', async () => {
    const hidden = objectsOf(state, 'person').find((p) => p.id !== pupil && p.enrolments?.length)!;
    const change = updatePerson(state, hidden.id, (p) => ({ ...p, securityMarking: 'Skyddad folkbokföring' }), TODAY);
    state = change.state;
    await ingest('protected.ndjson', change.events);
    for (const extra of [[], ['--as-of', new Date().toISOString()]]) {
      const refused = await runCli(bin, ['explain', hidden.id, ...extra], harness.env);
      assert.equal(refused.code, 3);
      assert.equal(refused.stdout, '');
      assert.match(refused.stderr, /protected identity; add --show-protected/);
    }
    assert.deepEqual(await accessesOf(hidden.id).then((a) => a.filter((e) => e.command === 'explain')), [], 'refused: nothing shown, no access');
    const shown = await runCli(bin, ['explain', hidden.id, '--show-protected'], harness.env);
    assert.equal(shown.code, 0, shown.stderr);
    const asOf = await runCli(bin, ['explain', hidden.id, '--show-protected', '--as-of', new Date().toISOString()], harness.env);
    assert.equal(asOf.code, 0, asOf.stderr);
    const explains = (await accessesOf(hidden.id)).filter((e) => e.command === 'explain');
    assert.deepEqual(explains.map((e) => e.protectedShown), [true, true]);
  });
});
