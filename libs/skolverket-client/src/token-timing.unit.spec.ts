import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveLifetimeSeconds, refreshDueAt } from './token-timing.js';

describe('refreshDueAt', () => {
  it('renews after the given fraction of the lifetime', () => {
    assert.equal(refreshDueAt(1_000_000, 3600, 0.8), 1_000_000 + 2_880_000);
  });

  it('renews at once when the token has no life left', () => {
    assert.equal(refreshDueAt(5_000, -10, 0.8), 5_000);
  });
});

describe('effectiveLifetimeSeconds', () => {
  const nowMs = 1_700_000_000_000;

  it('takes expires_in when the token lives at least that long', () => {
    assert.equal(effectiveLifetimeSeconds(600, 1_700_000_000 + 3600, nowMs), 600);
  });

  it('takes the time until exp when that is shorter than expires_in', () => {
    assert.equal(effectiveLifetimeSeconds(3600, 1_700_000_000 + 60, nowMs), 60);
  });

  it('uses exp alone when expires_in is missing', () => {
    assert.equal(effectiveLifetimeSeconds(undefined, 1_700_000_000 + 120, nowMs), 120);
  });
});
