import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { describeEventStoreContract } from '../event-store.contract.js';
import { WrongExpectedRevisionError } from '../event-store.port.js';
import { SqliteEventStore } from './sqlite-event-store.js';

const freshFile = () => join(mkdtempSync(join(tmpdir(), 'provsync-sqlite-')), 'events.db');

describeEventStoreContract('SqliteEventStore', async () => new SqliteEventStore(freshFile()));

it('SqliteEventStore keeps what it stored across a reopen of the file', async () => {
  const file = freshFile();
  const first = new SqliteEventStore(file);
  await first.append([{ stream: 's-1', events: [{ type: 'Kept', data: { a: 1 }, idempotencyKey: 'k' }], expectedRevision: 'no_stream' }]);
  await first.close();
  const reopened = new SqliteEventStore(file);
  assert.deepEqual((await reopened.readStream('s-1')).map((e) => e.data), [{ a: 1 }]);
  const again = await reopened.append([{ stream: 's-1', events: [{ type: 'Kept', data: { a: 1 }, idempotencyKey: 'k' }], expectedRevision: 'any' }]);
  assert.deepEqual(again.duplicates, ['k']);
  await reopened.close();
});

describeEventStoreContract('SqliteEventStore in memory (written on the calling thread)', async () => new SqliteEventStore(':memory:'));

it('SqliteEventStore commits appends sent together separately: one conflict does not undo the others', async () => {
  const store = new SqliteEventStore(freshFile());
  const kept = (n: number) => ({ type: 'Kept', data: { n }, idempotencyKey: `k-${n}` });
  const outcomes = await Promise.allSettled([
    store.append([{ stream: 's-1', events: [kept(1)], expectedRevision: 'no_stream' }]),
    store.append([{ stream: 's-2', events: [kept(2)], expectedRevision: 3 }]),
    store.append([{ stream: 's-1', events: [kept(3)], expectedRevision: 0 }]),
  ]);
  assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled']);
  assert.ok(outcomes[1].status === 'rejected' && outcomes[1].reason instanceof WrongExpectedRevisionError);
  assert.deepEqual((await store.readStream('s-1')).map((e) => e.data), [{ n: 1 }, { n: 3 }]);
  assert.deepEqual(await store.readStream('s-2'), []);
  await store.close();
});

it('SqliteEventStore finishes the appends in flight when closed, and refuses appends after', async () => {
  const file = freshFile();
  const store = new SqliteEventStore(file);
  const inFlight = store.append([{ stream: 's-1', events: [{ type: 'Kept', data: {} }], expectedRevision: 'no_stream' }]);
  await store.close();
  assert.deepEqual((await inFlight).revisions, { 's-1': 0 });
  await assert.rejects(store.append([{ stream: 's-2', events: [{ type: 'Kept', data: {} }], expectedRevision: 'any' }]));
  const reopened = new SqliteEventStore(file);
  assert.equal(await reopened.count(), 1);
  await reopened.close();
});
