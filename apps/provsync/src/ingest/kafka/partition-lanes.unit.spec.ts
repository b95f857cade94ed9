import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PartitionLanes, type Turn } from './partition-lanes.js';

/** Whether the promise has settled by the time queued callbacks have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('partition lanes', () => {
  it('let a batch be stored only once the one before it on its partition has ended', async () => {
    const lanes = new PartitionLanes();
    const first = lanes.enter('t/0', 0n);
    const second = lanes.enter('t/0', 100n);
    assert.deepEqual(await first.turn, { go: true });
    assert.equal(await settled(second.turn), false, 'the second waits while the first is stored');
    first.done(true);
    assert.deepEqual(await second.turn, { go: true });
  });

  it('never make one partition wait for another', async () => {
    const lanes = new PartitionLanes();
    lanes.enter('t/0', 0n);
    assert.deepEqual(await lanes.enter('t/1', 0n).turn, { go: true });
  });

  it('hold back every batch after one left uncommitted, naming where to read again, until it is read again', async () => {
    const lanes = new PartitionLanes();
    const failed = lanes.enter('t/0', 100n);
    const next = lanes.enter('t/0', 200n);
    failed.done(false);
    const turn: Turn = await next.turn;
    assert.deepEqual(turn, { go: false, rewindTo: 100n });
    next.skipped(100n);

    const fetchedAhead = lanes.enter('t/0', 300n);
    assert.deepEqual(await fetchedAhead.turn, { go: false, rewindTo: 100n }, 'a commit after it would step over offset 100');
    fetchedAhead.skipped(100n);

    const readAgain = lanes.enter('t/0', 100n);
    assert.deepEqual(await readAgain.turn, { go: true });
  });

  it('drain once every batch taken has ended, those taken while draining included', async () => {
    const lanes = new PartitionLanes();
    const first = lanes.enter('t/0', 0n);
    const draining = lanes.drain();
    const second = lanes.enter('t/1', 0n);
    first.done(true);
    assert.equal(await settled(draining), false);
    second.done(false);
    await draining;
  });
});
