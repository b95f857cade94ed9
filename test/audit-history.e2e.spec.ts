import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { after, before, describe, it } from 'node:test';
import {
  type AnySisEvent,
  formatSequence,
  luhnCheckDigit,
  type MunicipalityState,
  movePupil,
  objectsOf,
  updatePerson,
  withEvents,
} from '@provsync/sample-data';
import { auditLauncher, runCli } from './support/audit-cli.js';
import { type Harness, smallMunicipality, startHarness, TODAY, writeNdjson } from './support/provsync-harness.js';

const ANNA = 'sis-user:anna.admin';
const BERTIL = 'sis-user:bertil.rektor';
const NEW_PUPIL = '0f0e0d0c-0b0a-4909-8807-060504030201';
const CIVIC_NO = (() => {
  const nine = '100307123';
  return `20${nine}${luhnCheckDigit(nine)}`;
})();

/** The pupil story of issue 11's "Done when", told through the CLI against the simulator. */
describe('provsync history: a pupil\'s story, from creation to the end, through the CLI', () => {
  let harness: Harness;
  let bin: string;
  let state: MunicipalityState;
  const step = async (name: string, events: AnySisEvent[], actor: string) => {
    const stamped = events.map((e) => ({ ...e, actor }) as AnySisEvent);
    state = withEvents(state, stamped);
    const ingest = await runCli(bin, ['ingest', writeNdjson(harness.dir, `${name}.ndjson`, stamped)], harness.env);
    assert.equal(ingest.code, 0, ingest.stderr);
    const sync = await runCli(bin, ['sync', '--until-idle'], harness.env);
    assert.equal(sync.code, 0, sync.stderr);
    return stamped;
  };
  const told: { step: string; events: AnySisEvent[] }[] = [];
  let classes: string[] = [];

  before(async () => {
    harness = await startHarness();
    bin = auditLauncher(harness.dir);
    const municipality = smallMunicipality();
    state = municipality.state;
    const ingest = await runCli(bin, ['ingest', writeNdjson(harness.dir, 'initial.ndjson', municipality.events)], harness.env);
    assert.equal(ingest.code, 0, ingest.stderr);
    assert.equal((await runCli(bin, ['sync', '--until-idle'], harness.env)).code, 0);

    // Created: a copy of an enrolled pupil under a new id, with their own personnummer, EPPN and email; in a class.
    const model = objectsOf(state, 'person').find((p) => p.enrolments?.length && classOf(state, p.id))!;
    const classA = classOf(state, model.id)!;
    const others = objectsOf(state, 'group').filter((g) => g.groupType === 'Klass' && g.organisation.id === classA.organisation.id && g.id !== classA.id);
    classes = [classA.id, others[0]!.id, others[1]!.id];
    const pupil = {
      ...structuredClone(model),
      id: NEW_PUPIL,
      civicNo: { value: CIVIC_NO, nationality: 'SE' },
      eduPersonPrincipalNames: [`${NEW_PUPIL}@elev.example.se`],
      emails: [{ value: `${NEW_PUPIL}@elev.example.se`, type: 'Skola elev' }],
    };
    const created = [
      event(state, 'person', pupil, 1),
      event(state, 'group', { ...classA, groupMemberships: [...classA.groupMemberships, { person: { id: NEW_PUPIL }, startDate: TODAY }] }, 2),
    ];
    told.push({ step: 'created', events: await step('created', created, ANNA) });
    // Moved class twice, by two different people.
    told.push({ step: 'moved', events: await step('move-1', movePupil(state, NEW_PUPIL, classes[1]!, TODAY).events, ANNA) });
    told.push({ step: 'moved again', events: await step('move-2', movePupil(state, NEW_PUPIL, classes[2]!, TODAY).events, BERTIL) });
    // A bad address: another pupil's, as EPPN and email: Skolverket refuses it (the EPPN belongs to another person).
    const taken = model.eduPersonPrincipalNames![0]!;
    const bad = updatePerson(state, NEW_PUPIL, { eduPersonPrincipalNames: [taken], emails: [{ value: taken, type: 'Skola elev' }] }, TODAY);
    told.push({ step: 'bad email', events: await step('bad-email', bad.events, BERTIL) });
    // Fixed with a new address of their own (the old one back would be what Skolverket already holds: nothing to send).
    const address = `${NEW_PUPIL}.2@elev.example.se`;
    const fixed = updatePerson(state, NEW_PUPIL, { eduPersonPrincipalNames: [address], emails: [{ value: address, type: 'Skola elev' }] }, TODAY);
    told.push({ step: 'fixed', events: await step('fixed', fixed.events, ANNA) });
    // Ended: every enrolment ended yesterday.
    const ended = updatePerson(state, NEW_PUPIL, (p) => ({ ...p, enrolments: p.enrolments!.map((e) => ({ ...e, endDate: dayBefore(TODAY) })) }), TODAY);
    told.push({ step: 'ended', events: await step('ended', ended.events, ANNA) });
  });
  after(() => harness?.stop());

  it('history --json lists each SIS change in order, with actor, time, CloudEvent id and the changed field names', async () => {
    const result = await runCli(bin, ['history', NEW_PUPIL, '--json'], harness.env);
    assert.equal(result.code, 0, result.stderr);
    const history = JSON.parse(result.stdout);
    assert.equal(history.sisId, NEW_PUPIL);
    const changes = history.entries.filter((e: { kind: string }) => e.kind === 'sis-change');
    const expected = told.flatMap(({ events }) => events);
    assert.deepEqual(
      changes.map((e: Record<string, unknown>) => [e.id, e.actor, e.at, e.outcome]),
      expected.map((e) => [e.id, e.actor, e.time, 'applied']),
    );
    const fieldsOf = (i: number) => changes[i].fields;
    assert.deepEqual(fieldsOf(0), Object.keys(told[0]!.events[0]!.data).sort(), 'a new person: every field it has');
    assert.deepEqual(fieldsOf(1), ['groupMemberships'], 'joined class A');
    for (let i = 2; i < 6; i++) assert.deepEqual(fieldsOf(i), ['groupMemberships'], 'each move: the two classes\' memberships');
    assert.deepEqual(fieldsOf(6), ['eduPersonPrincipalNames', 'emails'], 'the bad address');
    assert.deepEqual(fieldsOf(7), ['eduPersonPrincipalNames', 'emails'], 'fixed');
    assert.deepEqual(fieldsOf(8), ['enrolments'], 'ended');
    for (const e of changes) assert.equal(e.source, state.source);
    assert.equal(changes[0].receipt.channel, 'file');
    assert.equal(changes[0].receipt.file.line, 1);
  });

  it('and what was sent to Skolverket about the pupil, and what it answered, in order: Success, Error with its message, Success, the delete', async () => {
    const history = JSON.parse((await runCli(bin, ['history', NEW_PUPIL, '--json'], harness.env)).stdout);
    const own = history.entries.filter((e: { kind: string; object?: { type: string; id: string } }) => e.object?.type === 'person' && e.object.id === NEW_PUPIL);
    const compact = own.map((e: Record<string, any>) =>
      e.kind === 'desired' ? `desired ${e.change}` : e.kind === 'sent' ? `sent ${e.operation}` : e.kind === 'answer' ? `answer ${e.status}` : e.kind,
    );
    assert.deepEqual(compact, [
      'desired now-sent', 'sent upsert', 'accepted', 'answer Success',
      'desired changed', 'sent upsert', 'accepted', 'answer Error',
      'desired changed', 'sent upsert', 'accepted', 'answer Success',
      'desired no-longer-sent', 'sent delete', 'accepted', 'answer Success',
    ]);
    const refused = own.find((e: { kind: string; status?: string }) => e.kind === 'answer' && e.status === 'Error');
    assert.ok(refused.messages.some((m: string) => /eduPersonPrincipalName/i.test(m)), JSON.stringify(refused.messages));
    assert.ok(refused.jobId && refused.batchId);
    const noLonger = own.find((e: { change?: string }) => e.change === 'no-longer-sent');
    assert.ok(noLonger.reasons.length > 0, 'the rule\'s reason is given');
    // Every sync entry follows the SIS change that caused it: times never go backwards among the pupil's own entries.
    const times = own.map((e: { at: string }) => Date.parse(e.at));
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
  });

  it('finds the same history by personnummer, and records each answer as an access by the OS user', async () => {
    const bySisId = JSON.parse((await runCli(bin, ['history', NEW_PUPIL, '--json'], harness.env)).stdout);
    const result = await runCli(bin, ['history', '--civic-no', CIVIC_NO, '--json'], harness.env);
    assert.equal(result.code, 0, result.stderr);
    const byCivicNo = JSON.parse(result.stdout);
    assert.equal(byCivicNo.sisId, NEW_PUPIL);
    const withoutAccess = (h: { entries: { kind: string }[] }) => h.entries.filter((e) => e.kind !== 'access');
    assert.deepEqual(withoutAccess(byCivicNo), withoutAccess(bySisId));
    const accesses = byCivicNo.entries.filter((e: { kind: string }) => e.kind === 'access');
    assert.ok(accesses.length >= 3, 'every earlier answer, and this one');
    assert.deepEqual(accesses.at(-1).who, userInfo().username);
    assert.equal(accesses.at(-1).command, 'history');
    assert.ok(!result.stderr.includes(CIVIC_NO));
  });

  it('the plain text tells the same story a line an entry, without personal data beyond ids', async () => {
    const result = await runCli(bin, ['history', NEW_PUPIL, '--since', '2000-01-01'], harness.env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`changed eduPersonPrincipalNames, emails by ${BERTIL}`));
    assert.match(result.stdout, /Skolverket answered Error for person/);
    assert.ok(!result.stdout.includes(CIVIC_NO));
  });

  it('--since leaves out what came before that time', async () => {
    const badEmail = told.find((t) => t.step === 'bad email')!.events[0]!;
    const history = JSON.parse((await runCli(bin, ['history', NEW_PUPIL, '--json', '--since', badEmail.time], harness.env)).stdout);
    const changes = history.entries.filter((e: { kind: string }) => e.kind === 'sis-change');
    assert.deepEqual(changes.map((e: { id: string }) => e.id), told.slice(3).flatMap((t) => t.events.map((e) => e.id)));
    assert.ok(history.entries.every((e: { at: string }) => Date.parse(e.at) >= Date.parse(badEmail.time)));
  });

  it('a protected identity is shown only with --show-protected, and that access is recorded as such', async () => {
    const hidden = objectsOf(state, 'person').find((p) => p.id !== NEW_PUPIL && p.enrolments?.length)!;
    const change = updatePerson(state, hidden.id, (p) => ({ ...p, securityMarking: 'Skyddad folkbokföring' }), TODAY);
    state = change.state;
    const ingest = await runCli(bin, ['ingest', writeNdjson(harness.dir, 'protected.ndjson', change.events)], harness.env);
    assert.equal(ingest.code, 0, ingest.stderr);
    const refused = await runCli(bin, ['history', hidden.id, '--json'], harness.env);
    assert.equal(refused.code, 3);
    assert.equal(refused.stdout, '');
    assert.match(refused.stderr, /protected identity; add --show-protected/);
    const shown = await runCli(bin, ['history', hidden.id, '--json', '--show-protected'], harness.env);
    assert.equal(shown.code, 0, shown.stderr);
    const accesses = JSON.parse(shown.stdout).entries.filter((e: { kind: string }) => e.kind === 'access');
    assert.equal(accesses.length, 1, 'the refused attempt showed nothing, so it is no access');
    assert.equal(accesses[0].protectedShown, true);
  });

  it('a personnummer nobody has is refused without repeating it', async () => {
    const result = await runCli(bin, ['history', '--civic-no', '190001019999', '--json'], harness.env);
    assert.equal(result.code, 1);
    assert.ok(!result.stderr.includes('190001019999'));
  });

  it('replay rebuilds the index into fresh tables that answer the same', async () => {
    const before = JSON.parse((await runCli(bin, ['history', NEW_PUPIL, '--json'], harness.env)).stdout);
    const replay = await runCli(bin, ['replay'], harness.env);
    assert.equal(replay.code, 0, replay.stderr);
    assert.match(replay.stdout, /audit: rebuilt as audit#2/);
    const afterReplay = JSON.parse((await runCli(bin, ['history', NEW_PUPIL, '--json'], harness.env)).stdout);
    // The same entries, plus the access of the last answer.
    assert.deepEqual(afterReplay.entries.slice(0, before.entries.length), before.entries);
    assert.equal(afterReplay.entries.length, before.entries.length + 1);
  });
});

function classOf(state: MunicipalityState, personId: string) {
  return objectsOf(state, 'group').find((g) => g.groupType === 'Klass' && g.groupMemberships.some((m) => m.person.id === personId && !m.endDate));
}

/** A SIS upsert after the state's last event (the sample data's own helpers cover only existing objects). */
function event(state: MunicipalityState, entity: 'person' | 'group', data: { id: string } & Record<string, unknown>, n: number): AnySisEvent {
  return {
    specversion: '1.0',
    id: `audit-e2e-${entity}-${n}`,
    source: state.source,
    type: `se.ss12000.${entity}.upserted`,
    subject: data.id,
    time: new Date(Math.max(state.lastTime, Date.parse(`${TODAY}T08:00:00Z`)) + n * 1_000).toISOString(),
    sequence: formatSequence(state.sequence + n),
    actor: ANNA,
    datacontenttype: 'application/json',
    data,
  } as unknown as AnySisEvent;
}

function dayBefore(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

