import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeAuthRefusal } from './token-provider.js';

describe('describeAuthRefusal', () => {
  it('reads a GNAP error code with its description', () => {
    assert.equal(describeAuthRefusal({ error: { code: 'invalid_client', description: 'unknown key' } }), 'invalid_client: unknown key');
    assert.equal(describeAuthRefusal({ error: 'invalid_request' }), 'invalid_request');
  });

  it('reads a detail or a Skolverket-style message list', () => {
    assert.equal(describeAuthRefusal({ detail: 'no client certificate' }), 'no client certificate');
    assert.equal(describeAuthRefusal([{ id: '1', message: 'refused' }]), 'refused');
  });

  it('says so when the answer explains nothing', () => {
    assert.equal(describeAuthRefusal(undefined), 'no explanation in the answer');
  });
});
