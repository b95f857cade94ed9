import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeMetadata,
  decodePosition,
  encodeMetadata,
  encodePosition,
  eventIdFor,
  fromCurrentState,
  isWanted,
  satisfies,
  toStreamState,
  uuidv5,
} from './kurrentdb-mapping.js';

describe('KurrentDB mapping', () => {
  it('maps expected revisions to the client\'s stream states', () => {
    assert.equal(toStreamState('any'), 'any');
    assert.equal(toStreamState('no_stream'), 'no_stream');
    assert.equal(toStreamState(0), 0n);
    assert.equal(toStreamState(41), 41n);
    assert.throws(() => toStreamState(-1), RangeError);
    assert.throws(() => toStreamState(1.5), RangeError);
  });

  it('reads the client\'s current stream state back as a revision or no_stream', () => {
    assert.equal(fromCurrentState('no_stream'), 'no_stream');
    assert.equal(fromCurrentState(undefined), 'no_stream');
    assert.equal(fromCurrentState(3n), 3);
    assert.equal(fromCurrentState(-1n), 'no_stream');
    assert.equal(fromCurrentState('7'), 7);
  });

  it('checks an expected revision against a stream\'s last one', () => {
    assert.ok(satisfies('any', 'no_stream'));
    assert.ok(satisfies('no_stream', 'no_stream'));
    assert.ok(!satisfies('no_stream', 0));
    assert.ok(satisfies(2, 2));
    assert.ok(!satisfies(2, 3));
  });

  it('derives RFC 9562 version-5 ids, the same for the same key and different for another', () => {
    // The RFC's own example: www.example.com in the DNS namespace.
    assert.equal(uuidv5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'), '2ed6657d-e927-568b-95e1-2665a8aea6a2');
    const id = eventIdFor('sis-a|evt-1');
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(eventIdFor('sis-a|evt-1'), id);
    assert.notEqual(eventIdFor('sis-a|evt-2'), id);
  });

  it('stores metadata as flat strings and reads back the metadata, key and imported time', () => {
    const port = { metadata: { m: 1, nested: { a: [1, 'x'] } }, idempotencyKey: 'src|id', recordedAt: '2026-01-02T03:04:05.678Z' };
    const stored = encodeMetadata(port);
    assert.ok(Object.values(stored).every((v) => typeof v === 'string'), 'a multi-stream append takes string values only');
    assert.deepEqual(decodeMetadata(JSON.parse(JSON.stringify(stored))), port);
    assert.deepEqual(encodeMetadata({ metadata: {} }), {}, 'nothing stored when there is nothing to say');
    assert.deepEqual(decodeMetadata({}), { metadata: {} });
    assert.deepEqual(decodeMetadata(undefined), { metadata: {} });
    assert.deepEqual(decodeMetadata(new Uint8Array([1, 2])), { metadata: {} }, 'binary metadata is not provsync\'s');
    assert.deepEqual(decodeMetadata({ ...stored, '$schema.name': 'Added' }), port, 'properties a server adds are ignored');
  });

  it('packs a (commit, prepare) position into one bigint that orders as $all does, and unpacks it', () => {
    const positions = [
      { commit: 100n, prepare: 100n },
      { commit: 100n, prepare: 180n },
      { commit: 260n, prepare: 260n },
      { commit: 2n ** 40n, prepare: 2n ** 40n + 5n },
    ];
    const packed = positions.map(encodePosition);
    assert.deepEqual(packed.map(decodePosition), positions);
    assert.deepEqual([...packed].sort((a, b) => (a < b ? -1 : 1)), packed);
    assert.equal(encodePosition(undefined), 0n);
    assert.equal(encodePosition({ commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n }), 0n, 'the server\'s "no position" marker');
    assert.throws(() => decodePosition(-1n), RangeError);
  });

  it('keeps to provsync\'s streams and the wanted types, never system events', () => {
    assert.ok(isWanted('provsync-person-1', 'SisChangeRecorded', 'provsync-', undefined));
    assert.ok(!isWanted('other-person-1', 'SisChangeRecorded', 'provsync-', undefined));
    assert.ok(!isWanted('$$provsync-person-1', '$metadata', 'provsync-', undefined));
    assert.ok(!isWanted('provsync-person-1', '$>', 'provsync-', undefined));
    assert.ok(isWanted('provsync-x', 'A', 'provsync-', new Set(['A'])));
    assert.ok(!isWanted('provsync-x', 'B', 'provsync-', new Set(['A'])));
  });
});
