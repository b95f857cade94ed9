import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecordedEvent } from '../event-store.port.js';
import { describeDifference, differingField } from './verify-stores.js';

const event: RecordedEvent = {
  stream: 'person-1',
  revision: 3,
  position: 10n,
  type: 'SisChangeRecorded',
  data: { civicNo: '190101019999', name: 'Anna' },
  metadata: { m: 1 },
  recordedAt: '2026-01-01T00:00:00.000Z',
  idempotencyKey: 'src|1',
};

describe('comparing events', () => {
  it('finds the first field that differs, and none when only the positions differ', () => {
    assert.equal(differingField(event, { ...event, position: 99n }), undefined);
    assert.equal(differingField(event, { ...event, data: { civicNo: '190101019999', name: 'Anne' } }), 'data');
    assert.equal(differingField(event, { ...event, metadata: {} }), 'metadata');
    assert.equal(differingField(event, { ...event, idempotencyKey: undefined }), 'idempotencyKey');
    assert.equal(differingField(event, { ...event, recordedAt: '2026-01-01T00:00:00.001Z' }), 'recordedAt');
    assert.equal(differingField(event, { ...event, revision: 4 }), 'revision');
  });

  it('describes a difference by place and field only', () => {
    const line = describeDifference({ index: 41, stream: 'person-1', revision: 3, sourcePosition: 10n, targetPosition: 12n, field: 'data' });
    assert.equal(line, 'event #42 (stream person-1, revision 3; source position 10, target position 12): data differs');
    assert.ok(!line.includes('Anna') && !line.includes('190101019999'));
    assert.equal(
      describeDifference({ index: 0, stream: 's', revision: 0, sourcePosition: 1n, field: 'missing in target' }),
      'event #1 (stream s, revision 0; source position 1): missing in target',
    );
  });
});
