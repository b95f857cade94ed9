import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SkolverketHoldingsRead } from '@provsync/domain';
import type { ObjectType } from '@provsync/skolverket-api';
import { type HoldingsCalls, readHoldings } from './read-holdings.js';

const AT = new Date('2026-08-14T08:00:00Z');

/** Skolverket's read endpoints over fixed holdings: pages of 100, lookups answering the ids they hold. */
function fakeSkolverket(held: Record<ObjectType, Array<Record<string, unknown>>>, failOn?: ObjectType) {
  const log: string[] = [];
  const calls: HoldingsCalls = {
    async *listPages(type, options) {
      for (let from = 0; from < Math.max(1, held[type].length); from += 100) {
        options?.signal?.throwIfAborted(); // as the client does before each call
        log.push(`list ${type} ${from}`);
        if (type === failOn) throw new Error(`${type} list failed`);
        await Promise.resolve();
        yield held[type].slice(from, from + 100) as never;
      }
    },
    async lookup(type, ids) {
      log.push(`lookup ${type} ${ids.length}`);
      return held[type].filter((o) => ids.includes(String(o.id))) as never;
    },
  };
  return { calls, log };
}

const persons = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `p${i}`, givenName: 'A', meta: {}, provisioningStatus: true }));

describe('reading what Skolverket holds', () => {
  it('looks up the persons provsync wants in full, a thousand a call, and the others not at all', async () => {
    const { calls, log } = fakeSkolverket({ person: persons(2_150), duty: [], group: [], activity: [] });
    const events: SkolverketHoldingsRead[] = [];
    await readHoldings(calls, { runId: 'r', wanted: (_t, id) => Number(id.slice(1)) < 2_100, now: () => AT }, async (e) => void events.push(e));
    assert.deepEqual(log.filter((l) => l.startsWith('lookup')), ['lookup person 1000', 'lookup person 1000', 'lookup person 100']);
    const held = events.flatMap((e) => e.data.held);
    assert.equal(held.length, 2_150);
    assert.equal(held.filter((h) => h.hash === '').length, 50, 'the unwanted: held, content not read');
    assert.equal(new Set(held.map((h) => h.id)).size, 2_150);
  });

  it('makes one event per read call, for every type, with the refs Skolverket shows', async () => {
    const { calls, log } = fakeSkolverket({
      person: [],
      duty: [{ id: 'd1', person: { id: 'p1' } }],
      group: [],
      activity: [{ id: 'a1', groups: [{ id: 'g1' }] }],
    });
    const events: SkolverketHoldingsRead[] = [];
    await readHoldings(calls, { runId: 'r', wanted: () => true, now: () => AT }, async (e) => void events.push(e));
    assert.equal(events.length, log.length);
    assert.deepEqual(events.find((e) => e.data.objectType === 'duty')?.data.held[0]?.refs, [{ type: 'person', id: 'p1' }]);
  });

  it('stops every reader at the first failure and reports it', async () => {
    const { calls, log } = fakeSkolverket({ person: persons(1_000), duty: [], group: [], activity: [] }, 'duty');
    await assert.rejects(readHoldings(calls, { runId: 'r', wanted: () => true, now: () => AT }, async () => undefined), /duty list failed/);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(log.filter((l) => l.startsWith('list person')).length < 10, `the person list stopped early: ${log.join(', ')}`);
  });
});
