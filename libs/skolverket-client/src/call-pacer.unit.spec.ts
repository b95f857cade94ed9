import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CallPacer } from './call-pacer.js';

function clock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('CallPacer', () => {
  it('lets the first call through at once', () => {
    const time = clock(1000);
    assert.equal(new CallPacer(5, time.now, 0).reserve(), 0);
  });

  it('spaces back-to-back calls 1000/rate ms apart', () => {
    const time = clock();
    const pacer = new CallPacer(5, time.now, 0);
    assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => pacer.reserve()), [0, 200, 400, 600, 800, 1000]);
  });

  it('never starts more than `rate` calls in any one-second window', () => {
    const time = clock();
    const pacer = new CallPacer(10, time.now, 5);
    const starts = Array.from({ length: 50 }, () => pacer.reserve());
    for (const start of starts) {
      assert.ok(starts.filter((s) => s >= start && s < start + 1000).length <= 10);
    }
  });

  it('adds the safety margin to the spacing', () => {
    const time = clock();
    const pacer = new CallPacer(5, time.now, 5);
    pacer.reserve();
    assert.equal(pacer.reserve(), 205);
  });

  it('does not bank unused slots while idle', () => {
    const time = clock();
    const pacer = new CallPacer(5, time.now, 0);
    pacer.reserve();
    time.advance(10_000);
    assert.equal(pacer.reserve(), 0);
    assert.equal(pacer.reserve(), 200);
  });

  it('holds every call until a pause ends', () => {
    const time = clock();
    const pacer = new CallPacer(5, time.now, 0);
    pacer.pauseUntil(1500);
    assert.equal(pacer.reserve(), 1500);
    assert.equal(pacer.reserve(), 1700);
  });

  it('does not shorten a later booking with an earlier pause', () => {
    const time = clock();
    const pacer = new CallPacer(5, time.now, 0);
    pacer.reserve();
    pacer.reserve();
    pacer.pauseUntil(100);
    assert.equal(pacer.reserve(), 400);
  });

  it('refuses a rate that is not positive', () => {
    assert.throws(() => new CallPacer(0), RangeError);
  });
});
