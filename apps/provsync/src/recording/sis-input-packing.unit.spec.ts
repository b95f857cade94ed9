import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deserialize, serialize } from 'node:v8';
import { packInputs, packOutcomes, unpackInputs, unpackOutcomes } from './sis-input-packing.js';
import type { RecordOutcome, SisInput } from './sis-input.js';

/** As postMessage would carry it. */
const cloned = <T>(value: T): T => deserialize(serialize(value)) as T;

describe('SIS inputs packed for the recorder thread', () => {
  it('come back as they went, bytes, text and parsed JSON alike', () => {
    // A view into a larger buffer, as kafkajs hands a message value over.
    const fetched = Buffer.from('xx{"a":1}{"b":22}yy');
    const inputs: SisInput[] = [
      { raw: fetched.subarray(2, 9), channel: 'kafka', headers: {}, kafka: { topic: 't', partition: 2, offset: '7', key: 'k' }, receivedAt: 'r1' },
      { raw: fetched.subarray(9, 17), channel: 'kafka', headers: { ce_id: 'x' }, kafka: { topic: 't', partition: 2, offset: '8' }, receivedAt: 'r1' },
      { raw: '{"c":3}', channel: 'file', file: { name: 'f.ndjson', line: 4 }, receivedAt: 'r2' },
      { raw: { d: 4 }, channel: 'http', receivedAt: 'r3', problems: [{ field: '(body)', reason: 'why' }] },
      { raw: new Uint8Array(0), channel: 'kafka', headers: {}, kafka: { topic: 't', partition: 2, offset: '9' }, receivedAt: 'r1' },
    ];
    const packed = cloned(packInputs(inputs));
    assert.equal(packed.bytes.byteLength, 15, 'only the values cross, not the buffer behind them');
    const back = unpackInputs(packed);
    assert.deepEqual(
      back.map(({ raw, ...rest }) => ({ ...rest, raw: raw instanceof Uint8Array ? Buffer.from(raw).toString() : raw })),
      inputs.map(({ raw, ...rest }) => ({ ...rest, raw: raw instanceof Uint8Array ? Buffer.from(raw).toString() : raw })),
    );
  });

  it('outcomes come back as they went', () => {
    const outcomes: RecordOutcome[] = [
      { status: 'recorded', stream: 's-1' },
      { status: 'stale', stream: 's-2' },
      { status: 'duplicate' },
      { status: 'rejected', problems: [{ field: 'data.id', reason: 'must be a UUID' }] },
    ];
    assert.deepEqual(unpackOutcomes(cloned(packOutcomes(outcomes))), outcomes);
  });
});
