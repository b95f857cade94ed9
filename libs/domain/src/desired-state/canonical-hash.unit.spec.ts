import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { canonicalJson, hashBody } from './canonical-hash.js';

describe('hash of a desired body', () => {
  it('given the same content with keys in another order, then the hash is the same', () => {
    const a = { id: 'x', person: { id: 'p' }, dutyAt: { id: 'u' }, dutyRole: 'Lärare' };
    const b = { dutyRole: 'Lärare', dutyAt: { id: 'u' }, person: { id: 'p' }, id: 'x' };
    assert.equal(hashBody(a), hashBody(b));
    assert.equal(canonicalJson(b), '{"dutyAt":{"id":"u"},"dutyRole":"Lärare","id":"x","person":{"id":"p"}}');
  });

  it('given different content, then the hash differs', () => {
    assert.notEqual(hashBody({ id: 'x', n: [1, 2] }), hashBody({ id: 'x', n: [2, 1] }));
  });
});
