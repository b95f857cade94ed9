import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateLimiter } from '../src/domain/rate-limiter.js';

describe('rate limiter', () => {
  const limiter = () => new RateLimiter({ write: 5, read: 10 });

  it('refuses the sixth write within one second, however the calls fall on the clock', () => {
    for (const start of [0, 999, 1500]) {
      const l = limiter();
      const decisions = [0, 100, 200, 300, 400, 950].map((dt) => l.take('client', 'write', start + dt));
      assert.deepEqual(decisions.map((d) => d.allowed), [true, true, true, true, true, false]);
      assert.deepEqual(decisions.map((d) => d.remaining), [4, 3, 2, 1, 0, 0]);
      assert.equal(decisions[5]!.resetSeconds, 1);
    }
  });

  it('frees a call once the oldest leaves the window; refused calls use no quota', () => {
    const l = limiter();
    for (let i = 0; i < 5; i++) l.take('c', 'write', i);
    assert.equal(l.take('c', 'write', 500).allowed, false);
    assert.equal(l.take('c', 'write', 1000).allowed, true);
    assert.equal(l.take('c', 'write', 1001).allowed, true);
    assert.equal(l.take('c', 'write', 1001).allowed, false);
  });

  it('counts writes and reads apart, and each client apart', () => {
    const l = limiter();
    for (let i = 0; i < 5; i++) l.take('a', 'write', 0);
    assert.equal(l.take('a', 'write', 1).allowed, false);
    assert.equal(l.take('b', 'write', 1).allowed, true);
    const reads = Array.from({ length: 11 }, () => l.take('a', 'read', 2).allowed);
    assert.deepEqual(reads.filter((a) => !a).length, 1);
    assert.equal(l.take('a', 'read', 3).limit, 10);
  });
});
