import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { describeEventStoreContract } from '../event-store.contract.js';
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
