import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openEventStore, WrongExpectedRevisionError } from '@provsync/event-store';
import { timingAppends } from './store-append-timing.js';

describe('timingAppends', () => {
  it('times each append, successful or refused, and leaves every other method the store’s own', async () => {
    const store = await openEventStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'provsync-timing-')), 'store.db')}`);
    const observed: Array<[number, boolean]> = [];
    const timed = timingAppends(store, (seconds, ok) => observed.push([seconds, ok]));
    try {
      await timed.append([{ stream: 's-1', events: [{ type: 'Happened', data: { n: 1 } }], expectedRevision: 'no_stream' }]);
      await assert.rejects(
        timed.append([{ stream: 's-1', events: [{ type: 'Happened', data: { n: 2 } }], expectedRevision: 'no_stream' }]),
        WrongExpectedRevisionError,
      );
      assert.equal(await timed.count(), 1);
      assert.equal((await timed.readStream('s-1')).length, 1);
      assert.deepEqual(observed.map(([, ok]) => ok), [true, false]);
      assert.ok(observed.every(([seconds]) => seconds > 0 && seconds < 60));
    } finally {
      await timed.close();
    }
  });
});
