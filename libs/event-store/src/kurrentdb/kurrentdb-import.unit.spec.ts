import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ExpectedRevision, type RecordedEvent, WrongExpectedRevisionError } from '../event-store.port.js';
import { importInRuns } from './kurrentdb-import.js';

const event = (stream: string, revision: number): RecordedEvent => ({
  stream,
  revision,
  position: 0n,
  type: 'T',
  data: {},
  metadata: {},
  recordedAt: '2026-01-01T00:00:00.000Z',
});

/** A target whose streams are arrays of revisions; it records each append it was asked for. */
function fakeTarget(initial: Record<string, number> = {}) {
  const last = new Map<string, number>(Object.entries(initial));
  const appends: Array<[string, ExpectedRevision, number[]]> = [];
  return {
    appends,
    async lastRevision(stream: string) {
      return last.get(stream) ?? ('no_stream' as const);
    },
    async append(stream: string, expected: ExpectedRevision, run: readonly RecordedEvent[]) {
      appends.push([stream, expected, run.map((e) => e.revision)]);
      const end = run[run.length - 1]!.revision;
      last.set(stream, end);
      return end;
    },
  };
}

describe('importInRuns', () => {
  it('appends runs of one stream in the given order, each expecting the revision it follows', async () => {
    const target = fakeTarget();
    const result = await importInRuns([event('a', 0), event('a', 1), event('b', 0), event('a', 2)], target);
    assert.deepEqual(result, { imported: 4, skipped: 0 });
    assert.deepEqual(target.appends, [
      ['a', 'no_stream', [0, 1]],
      ['b', 'no_stream', [0]],
      ['a', 1, [2]],
    ]);
  });

  it('skips revisions a stream already holds, so a resumed copy goes on where it stopped', async () => {
    const target = fakeTarget({ a: 1 });
    const result = await importInRuns([event('a', 0), event('a', 1), event('a', 2)], target);
    assert.deepEqual(result, { imported: 1, skipped: 2 });
    assert.deepEqual(target.appends, [['a', 1, [2]]]);
  });

  it('refuses a gap instead of renumbering, and writes nothing of the gap\'s run', async () => {
    const target = fakeTarget({ a: 0 });
    await assert.rejects(
      importInRuns([event('a', 3)], target),
      (error: unknown) => error instanceof WrongExpectedRevisionError && error.stream === 'a' && error.actual === 0 && error.expected === 2,
    );
    assert.deepEqual(target.appends, []);
  });
});
