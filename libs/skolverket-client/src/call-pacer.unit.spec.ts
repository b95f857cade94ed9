import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CallPacer } from './call-pacer.js';

/** A clock whose sleep moves time forward at once; `sleeps` records each wait. */
function fakeClock(start = 0) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

describe('CallPacer', () => {
  it('lets `limit` calls start at once', async () => {
    const clock = fakeClock();
    const pacer = new CallPacer(5, 1000, clock);
    for (let i = 0; i < 5; i++) await pacer.acquire();
    assert.deepEqual(clock.sleeps, []);
  });

  it('holds the next call while every slot is in flight', async () => {
    const pacer = new CallPacer(2, 1000, fakeClock());
    await pacer.acquire();
    await pacer.acquire();
    assert.equal(pacer.waitMs(), Infinity);
  });

  it('frees a slot one window after that call was answered, not after it was sent', async () => {
    const clock = fakeClock();
    const pacer = new CallPacer(2, 1000, clock);
    const first = await pacer.acquire();
    await pacer.acquire();
    clock.advance(300); // the first call's answer takes 300 ms
    first();
    assert.equal(pacer.waitMs(), 1000);
    clock.advance(999);
    assert.equal(pacer.waitMs(), 1);
    clock.advance(1);
    assert.equal(pacer.waitMs(), 0);
  });

  it('makes a waiting caller start when a slot frees', async () => {
    const clock = fakeClock();
    const pacer = new CallPacer(1, 1000, clock);
    const release = await pacer.acquire();
    const waiting = pacer.acquire();
    clock.advance(50);
    release();
    await waiting;
    assert.deepEqual(clock.sleeps, [1000]);
    assert.equal(clock.now(), 1050);
  });

  it('never lets more than `limit` calls be answered within one window', async () => {
    const clock = fakeClock();
    const pacer = new CallPacer(5, 1000, clock);
    const answeredAt: number[] = [];
    for (let i = 0; i < 23; i++) {
      const release = await pacer.acquire();
      clock.advance(i % 3 === 0 ? 120 : 15); // uneven latency
      answeredAt.push(clock.now());
      release();
    }
    const started = answeredAt.map((t, i) => t - (i % 3 === 0 ? 120 : 15));
    for (const t of started) assert.ok(started.filter((s) => s >= t && s < t + 1000).length <= 5);
  });

  it('serves callers in the order they asked', async () => {
    const pacer = new CallPacer(1, 1000, fakeClock());
    const order: number[] = [];
    const calls = [1, 2, 3].map(async (n) => {
      const release = await pacer.acquire();
      order.push(n);
      release();
    });
    await Promise.all(calls);
    assert.deepEqual(order, [1, 2, 3]);
  });

  it('holds every call until a pause ends', async () => {
    const clock = fakeClock();
    const pacer = new CallPacer(5, 1000, clock);
    pacer.pauseUntil(1500);
    assert.equal(pacer.waitMs(), 1500);
    await pacer.acquire();
    assert.equal(clock.now(), 1500);
  });

  it('counts a release only once', async () => {
    const pacer = new CallPacer(1, 1000, fakeClock());
    const release = await pacer.acquire();
    release();
    release();
    assert.equal(pacer.waitMs(), 1000);
  });

  it('holds slots for calls Skolverket counted but this pacer did not make (X-RateLimit-Remaining)', async () => {
    const clock = fakeClock();
    const pacer = new CallPacer(5, 1000, clock);
    const release = await pacer.acquire();
    release(1); // the server saw 4 calls in its window; this pacer made 1
    assert.equal(pacer.waitMs(), 0);
    for (let i = 0; i < 4; i++) (await pacer.acquire())();
    assert.equal(clock.sleeps.length, 1, 'the fifth call waited');
  });

  it('adds nothing when the server counts what this pacer made', async () => {
    const pacer = new CallPacer(5, 1000, fakeClock());
    (await pacer.acquire())(4);
    (await pacer.acquire())(3);
    assert.equal(pacer.waitMs(), 0);
    (await pacer.acquire())(2);
    (await pacer.acquire())(1);
    (await pacer.acquire())(0);
    assert.equal(pacer.waitMs(), 1000);
  });

  it('refuses a limit below one', () => {
    assert.throws(() => new CallPacer(0), RangeError);
  });
});
