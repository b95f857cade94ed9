import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { entityStream, REJECTED_INPUTS_STREAM, SIS_CHANGE_RECORDED, SIS_INPUT_REJECTED } from '@provsync/domain';
import { type EventStore, SqliteEventStore } from '@provsync/event-store';
import { EventStoreSisChangeRecorder } from './event-store-sis-change-recorder.js';
import { SisChangeRecorderThread } from './sis-change-recorder-thread.js';
import type { SisChangeRecorder, SisInput } from './sis-input.js';

const SUBJECT = '153561da-4948-4306-9d4d-67f96fd3f0f0';
const CIVIC_NO = '200901272385';
const event = (id: string, sequence: string, over: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id,
  source: 'urn:sis:test',
  type: 'se.ss12000.person.upserted',
  subject: SUBJECT,
  time: '2026-08-14T07:12:03.120Z',
  sequence,
  actor: 'sis-user:anna.berg',
  data: { id: SUBJECT, givenName: 'Lisa', familyName: 'Johansson', civicNo: { value: CIVIC_NO, nationality: 'SE' } },
  ...over,
});
const input = (raw: unknown, over: Partial<SisInput> = {}): SisInput => ({
  raw: typeof raw === 'string' ? raw : JSON.stringify(raw),
  channel: 'kafka',
  kafka: { topic: 'sis.changes', partition: 0, offset: '7', key: SUBJECT },
  receivedAt: '2026-08-14T07:12:04.000Z',
  ...over,
});

type Recorder = SisChangeRecorder & { close?(): Promise<void> };

/** The same behaviour whether the recorder runs on the caller's thread or on its own (as for Kafka). */
const recorders: Record<string, (store: SqliteEventStore) => Recorder> = {
  'on the calling thread': (store) => new EventStoreSisChangeRecorder(store),
  'on a thread of its own': (store) => new SisChangeRecorderThread(`sqlite:${store.file}`),
};

for (const [where, newRecorder] of Object.entries(recorders)) describe(`recording SIS inputs in the embedded store, ${where}`, () => {
  let store: SqliteEventStore;
  let recorder: Recorder;
  const opened: Recorder[] = [];
  const open = () => {
    const next = newRecorder(store);
    opened.push(next);
    return next;
  };
  beforeEach(() => {
    store = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'provsync-rec-')), 'events.db'));
    recorder = open();
  });
  afterEach(async () => {
    for (const r of opened.splice(0)) await r.close?.();
    await store.close();
  });

  it('appends the change to its entity stream with who, when, where from and when received', async () => {
    const [outcome] = await recorder.record([input(event('e-1', '000000000000000001'))]);
    assert.deepEqual(outcome, { status: 'recorded', stream: entityStream('person', SUBJECT) });
    const [stored] = await store.readStream(entityStream('person', SUBJECT));
    assert.equal(stored.type, SIS_CHANGE_RECORDED);
    const data = stored.data as { change: { actor: string; time: string; source: string; id: string }; receipt: { kafka: unknown; receivedAt: string } };
    assert.equal(data.change.actor, 'sis-user:anna.berg');
    assert.equal(data.change.time, '2026-08-14T07:12:03.120Z');
    assert.deepEqual([data.change.source, data.change.id], ['urn:sis:test', 'e-1']);
    assert.deepEqual(data.receipt.kafka, { topic: 'sis.changes', partition: 0, offset: '7', key: SUBJECT });
    assert.equal(data.receipt.receivedAt, '2026-08-14T07:12:04.000Z');
  });

  it('records the same (source, id) once, within a batch and across batches', async () => {
    const first = await recorder.record([input(event('e-1', '1')), input(event('e-1', '1'))]);
    const again = await recorder.record([input(event('e-1', '1'))]);
    assert.deepEqual([...first, ...again].map((o) => o.status), ['recorded', 'duplicate', 'duplicate']);
    assert.equal((await store.readStream(entityStream('person', SUBJECT))).length, 1);
  });

  it('keeps an older change for audit without making it the state', async () => {
    const outcomes = await recorder.record([input(event('e-2', '2')), input(event('e-1', '1'))]);
    assert.deepEqual(outcomes.map((o) => o.status), ['recorded', 'stale']);
    const later = await recorder.record([input(event('e-0', '0'))]);
    assert.equal(later[0].status, 'stale');
    assert.equal(await store.count([SIS_CHANGE_RECORDED]), 1);
    assert.equal((await store.readStream(entityStream('person', SUBJECT))).length, 3);
  });

  it('a recorder that never saw a stream still orders against what is stored (e.g. after a restart)', async () => {
    await recorder.record([input(event('e-5', '5'))]);
    const restarted = open();
    const outcomes = await restarted.record([input(event('e-4', '4')), input(event('e-6', '6'))]);
    assert.deepEqual(outcomes.map((o) => o.status), ['stale', 'recorded']);
    assert.deepEqual((await store.readStream(entityStream('person', SUBJECT))).map((e) => e.revision), [0, 1, 2]);
  });

  it('stores a bad input with its reason and lets the valid inputs around it through', async () => {
    const outcomes = await recorder.record([
      input(event('e-1', '1')),
      input('{"specversion":"1.0", "id": ', { kafka: { topic: 'sis.changes', partition: 0, offset: '8' } }),
      input(event('e-3', '3', { subject: '00000000-0000-4000-8000-000000000000' }), { kafka: { topic: 'sis.changes', partition: 0, offset: '9' } }),
      input(event('e-4', '4')),
    ]);
    assert.deepEqual(outcomes.map((o) => o.status), ['recorded', 'rejected', 'rejected', 'recorded']);
    const rejected = await store.readStream(REJECTED_INPUTS_STREAM);
    assert.deepEqual(rejected.map((e) => e.type), [SIS_INPUT_REJECTED, SIS_INPUT_REJECTED]);
    const second = rejected[1].data as { problems: Array<{ field: string; reason: string }>; raw: string };
    assert.ok(second.problems.some((p) => p.field === 'subject'), JSON.stringify(second.problems));
    assert.ok(second.raw.includes('"e-3"'), 'the input is kept whole');
    assert.ok(!JSON.stringify(second.problems).includes(CIVIC_NO), 'reasons carry no personal data');
  });

  it('stores a redelivered bad Kafka message once, yet reports it rejected again (so it reaches the DLQ at least once)', async () => {
    await recorder.record([input('not json')]);
    const again = await recorder.record([input('not json')]);
    assert.equal(again[0].status, 'rejected');
    assert.equal(await store.count([SIS_INPUT_REJECTED]), 1);
  });

  it('guards each append with the stream revision: two recorders racing on one entity both land, in order', async () => {
    const other = open();
    const results = await Promise.all([
      recorder.record(Array.from({ length: 20 }, (_, i) => input(event(`a-${i}`, String(100 + i))))),
      other.record(Array.from({ length: 20 }, (_, i) => input(event(`b-${i}`, String(200 + i))))),
    ]);
    assert.equal(results.flat().filter((o) => o.status === 'duplicate').length, 0);
    const stream = await store.readStream(entityStream('person', SUBJECT));
    assert.equal(stream.length, 40);
    assert.deepEqual(stream.map((e) => e.revision), [...Array(40).keys()]);
  });

  it('takes back partitions another instance wrote meanwhile: one batch over many stale streams still lands', async () => {
    // As after a rebalance there and back: this recorder's cached revisions of 30 entities are stale.
    const subjects = Array.from({ length: 30 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const changes = (round: number) => subjects.map((subject, i) =>
      input(event(`r${round}-${i}`, String(round), { subject, data: { ...event('', '').data, id: subject } })));
    await recorder.record(changes(1));
    await open().record(changes(2));
    const outcomes = await recorder.record(changes(3));
    assert.deepEqual(new Set(outcomes.map((o) => o.status)), new Set(['recorded']));
    for (const subject of subjects) {
      assert.deepEqual((await store.readStream(entityStream('person', subject))).map((e) => e.revision), [0, 1, 2]);
    }
  });

  it('guards the rejected-inputs stream with its revision too: two recorders rejecting at once both land', async () => {
    const other = open();
    const bad = (n: number) => input(`not json ${n}`, { kafka: { topic: 'sis.changes', partition: 1, offset: String(n) } });
    await recorder.record([bad(0)]);
    await other.record([bad(1)]);
    await Promise.all([recorder.record([bad(2), bad(3)]), other.record([bad(4)])]);
    const rejected = await store.readStream(REJECTED_INPUTS_STREAM);
    assert.deepEqual(rejected.map((e) => e.revision), [0, 1, 2, 3, 4]);
  });
});

describe('recording after a restart over a filled store', () => {
  it('reads the streams it has not seen once a guess that they are new has failed, instead of deciding each batch twice', async () => {
    const store = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'provsync-rec-')), 'events.db'));
    const subjects = Array.from({ length: 4 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const change = (subject: string, sequence: number) =>
      input(event(`${subject}-${sequence}`, String(sequence), { subject, data: { ...event('', '').data, id: subject } }));
    await new EventStoreSisChangeRecorder(store).record(subjects.map((subject) => change(subject, 1)));

    // The same store, each append's success noted.
    const appends: boolean[] = [];
    const noting: EventStore = {
      append: (writes) => store.append(writes).then(
        (result) => (appends.push(true), result),
        (error: unknown) => { appends.push(false); throw error; },
      ),
      readStream: (stream, from) => store.readStream(stream, from),
      readAll: (options) => store.readAll(options),
      subscribe: (after, handler, types) => store.subscribe(after, handler, types),
      importEvents: (events) => store.importEvents(events),
      count: (types) => store.count(types),
      close: () => store.close(),
    };
    const restarted = new EventStoreSisChangeRecorder(noting);
    await restarted.record([change(subjects[0]!, 2), change(subjects[1]!, 2)]);
    assert.deepEqual(appends, [false, true], 'the first batch guesses its streams are new, and learns otherwise');
    const outcomes = await restarted.record([change(subjects[2]!, 2), change(subjects[3]!, 2)]);
    assert.deepEqual(appends, [false, true, true], 'the next batch reads its streams first');
    assert.deepEqual(outcomes.map((o) => o.status), ['recorded', 'recorded']);
    await store.close();
  });
});

describe('the recorder thread', () => {
  it('fails each batch with the reason when its store cannot be opened', async () => {
    const recorder = new SisChangeRecorderThread('nosuch:store');
    await assert.rejects(recorder.record([input(event('e-1', '1'))]), /unsupported store "nosuch:"/);
    await assert.rejects(recorder.record([input(event('e-2', '2'))]), /unsupported store/);
    await recorder.close();
  });
});
