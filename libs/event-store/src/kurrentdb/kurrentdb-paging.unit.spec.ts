import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodePosition, type LogPosition } from './kurrentdb-mapping.js';
import { type ReadStart, readPage, startOf } from './kurrentdb-paging.js';

interface Rec {
  position: LogPosition;
  type: string;
}

/**
 * A log as the server reads it (the paging's only neighbour): records in (commit, prepare) order; a read from a
 * position includes the record at it, as reads of $all do. Commit 100 holds five records written together.
 */
const log: Rec[] = [
  ...[100n, 110n, 120n, 130n, 140n].map((prepare, i) => ({ position: { commit: 100n, prepare }, type: i % 2 ? 'B' : 'A' })),
  ...[200n, 300n, 400n, 500n].map((p) => ({ position: { commit: p, prepare: p }, type: 'A' })),
];
const cmp = (a: LogPosition, b: LogPosition) => (a.commit === b.commit ? Number(a.prepare - b.prepare) : Number(a.commit - b.commit));

function server() {
  const reads: Array<{ start: ReadStart; maxCount: number }> = [];
  const read = async function* (start: ReadStart, maxCount: number) {
    reads.push({ start, maxCount });
    yield* log.filter((r) => start === 'start' || cmp(r.position, start) >= 0).slice(0, maxCount);
  };
  return { read, reads };
}

const all = () => true;
const at = (i: number) => encodePosition(log[i]!.position);

describe('reading pages of $all', () => {
  it('starts at the beginning of the commit of any position, a record boundary or not', () => {
    assert.equal(startOf(0n), 'start');
    assert.deepEqual(startOf(at(2)), { commit: 100n, prepare: 100n });
    assert.deepEqual(startOf(at(5) - 1n), { commit: 200n, prepare: 200n }, 'an event\'s position minus one');
  });

  it('pages through the log, skipping what is at or before the position, with no event twice or left out', async () => {
    const { read } = server();
    const seen: bigint[] = [];
    for (let after = 0n, page = await readPage(read, after, 2, all); page.length; page = await readPage(read, after, 2, all)) {
      seen.push(...page.map((r) => encodePosition(r.position)));
      after = seen.at(-1)!;
    }
    assert.deepEqual(seen, log.map((r) => encodePosition(r.position)));
  });

  it('moves on past a commit of many records already seen instead of reading them again and again', async () => {
    const { read, reads } = server();
    const page = await readPage(read, at(4), 1, all);
    assert.deepEqual(page.map((r) => r.position), [log[5]!.position]);
    assert.ok(reads.length <= 4, `${reads.length} reads`);
  });

  it('tops up a page the filter thinned, and a short page means the end', async () => {
    const { read } = server();
    const onlyA = (r: Rec) => r.type === 'A';
    assert.deepEqual((await readPage(read, 0n, 4, onlyA)).map((r) => r.position), [log[0], log[2], log[4], log[5]].map((r) => r!.position));
    assert.deepEqual((await readPage(read, at(6), 10, all)).map((r) => r.position), [log[7]!.position, log[8]!.position]);
    assert.deepEqual(await readPage(read, at(8), 10, all), []);
  });

  it('includes the event just after a position that is an event\'s position minus one', async () => {
    const { read } = server();
    assert.deepEqual((await readPage(read, at(5) - 1n, 1, all)).map((r) => r.position), [log[5]!.position]);
  });
});
