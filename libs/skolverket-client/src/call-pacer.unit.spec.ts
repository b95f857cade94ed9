import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CallPacer } from './call-pacer.js';

/** A clock whose sleep moves time forward at once; `sleeps` records each wait. */
function clock(start = 0) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    advance: (ms: number) => (now += ms),
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

describe('CallPacer', () => {
  it('lets the first call through at once', () => {
    const time = clock(1000);
    assert.equal(new CallPacer(5, time, 0).reserve(), 0);
  });

  it('spaces back-to-back calls 1000/rate ms apart', () => {
    const time = clock();
    const pacer = new CallPacer(5, time, 0);
    assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => pacer.reserve()), [0, 200, 400, 600, 800, 1000]);
  });

  it('never starts more than `rate` calls in any one-second window', () => {
    const time = clock();
    const pacer = new CallPacer(10, time, 5);
    const starts = Array.from({ length: 50 }, () => pacer.reserve());
    for (const start of starts) {
      assert.ok(starts.filter((s) => s >= start && s < start + 1000).length <= 10);
    }
  });

  it('adds the safety margin to the spacing', () => {
    const time = clock();
    const pacer = new CallPacer(5, time, 5);
    pacer.reserve();
    assert.equal(pacer.reserve(), 205);
  });

  it('does not bank unused slots while idle', () => {
    const time = clock();
    const pacer = new CallPacer(5, time, 0);
    pacer.reserve();
    time.advance(10_000);
    assert.equal(pacer.reserve(), 0);
    assert.equal(pacer.reserve(), 200);
  });

  it('holds every call until a pause ends', () => {
    const time = clock();
    const pacer = new CallPacer(5, time, 0);
    pacer.pauseUntil(1500);
    assert.equal(pacer.reserve(), 1500);
    assert.equal(pacer.reserve(), 1700);
  });

  it('does not shorten a later booking with an earlier pause', () => {
    const time = clock();
    const pacer = new CallPacer(5, time, 0);
    pacer.reserve();
    pacer.reserve();
    pacer.pauseUntil(100);
    assert.equal(pacer.reserve(), 400);
  });

  it('makes acquire wait for the booked slot', async () => {
    const time = clock();
    const pacer = new CallPacer(5, time, 0);
    await pacer.acquire();
    await pacer.acquire();
    assert.deepEqual(time.sleeps, [200]);
    assert.equal(time.now(), 200);
  });

  it('rebooks a caller whose slot fell inside a pause begun while it waited', async () => {
    const time = clock();
    const pacer = new CallPacer(5, time, 0);
    pacer.reserve();
    const sleepUntilSlot = time.sleep;
    time.sleep = async (ms: number) => {
      pacer.pauseUntil(1000); // a 429 arrives while this caller sleeps until its slot at 200
      time.sleep = sleepUntilSlot;
      await sleepUntilSlot(ms);
    };
    await pacer.acquire();
    assert.equal(time.now(), 1000);
  });

  it('refuses a rate that is not positive', () => {
    assert.throws(() => new CallPacer(0), RangeError);
  });
});
