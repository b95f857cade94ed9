import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HeldSyncLease, SyncLease } from '@provsync/event-store';
import { whileLeading } from './sync-runtime.js';

/** A lease handed out on request, whose holders the test can take it from. */
class FakeLease implements SyncLease {
  readonly held: Array<{ lose(): void; released: boolean }> = [];

  async acquire(_organiser: string, signal?: AbortSignal): Promise<HeldSyncLease> {
    signal?.throwIfAborted();
    const controller = new AbortController();
    const record = { lose: () => controller.abort(new Error('its connection failed')), released: false };
    this.held.push(record);
    return {
      lost: controller.signal,
      release: async () => {
        record.released = true;
      },
    };
  }
}

const quietEvents = () => {
  const said: string[] = [];
  return { said, events: { waiting: () => said.push('waiting'), leading: () => said.push('leading'), lost: (reason: string) => said.push(`lost: ${reason}`) } };
};

describe('whileLeading', () => {
  it('stops the work when the lease is lost, releases it, and leads again once it has it back', async () => {
    const lease = new FakeLease();
    const { said, events } = quietEvents();
    const signals: AbortSignal[] = [];
    await whileLeading(lease, '5560000000', new AbortController().signal, async (lost) => {
      signals.push(lost);
      if (signals.length === 1) {
        setTimeout(() => lease.held[0]!.lose(), 10);
        await new Promise((resolve) => lost.addEventListener('abort', resolve, { once: true }));
      }
    }, events);
    assert.equal(signals.length, 2);
    assert.equal(signals[0]!.aborted, true);
    assert.deepEqual(lease.held.map((h) => h.released), [true, true]);
    assert.deepEqual(said, ['leading', 'lost: its connection failed', 'leading']);
  });

  it('an error of the work while it holds the lease is the caller\'s; the lease is released', async () => {
    const lease = new FakeLease();
    await assert.rejects(
      whileLeading(lease, '5560000000', new AbortController().signal, async () => {
        throw new Error('the store refused');
      }, quietEvents().events),
      /the store refused/,
    );
    assert.equal(lease.held[0]!.released, true);
  });

  it('returns without working at shutdown', async () => {
    const shutdown = new AbortController();
    shutdown.abort();
    let worked = false;
    await whileLeading(new FakeLease(), '5560000000', shutdown.signal, async () => void (worked = true), quietEvents().events);
    assert.equal(worked, false);
  });

  it('without a lease (KurrentDB) simply works, with a signal that never aborts', async () => {
    let signal: AbortSignal | undefined;
    await whileLeading(undefined, '5560000000', new AbortController().signal, async (lost) => void (signal = lost), quietEvents().events);
    assert.equal(signal?.aborted, false);
  });
});
