import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, progressBar, progressLine, secondsLeft } from './copy-progress.js';

describe('copy progress', () => {
  it('works out the time left from this run\'s own rate', () => {
    // 2,000 copied in 4 s by this run = 500/s; 6,000 left of 10,000 (2,000 were there before the run).
    assert.equal(secondsLeft({ done: 4_000, total: 10_000, copied: 2_000, seconds: 4 }), 12);
    assert.equal(secondsLeft({ done: 0, total: 10, copied: 0, seconds: 0 }), undefined, 'no rate yet');
    assert.equal(secondsLeft({ done: 10, total: 10, copied: 0, seconds: 0 }), 0);
  });

  it('formats durations as mm:ss, with hours when there are any', () => {
    assert.equal(formatDuration(12), '00:12');
    assert.equal(formatDuration(3_725), '1:02:05');
    assert.equal(formatDuration(undefined), '--:--');
  });

  it('draws a bar filled to the share done, and a plain line with the same figures', () => {
    const view = { done: 5_000, total: 10_000, copied: 5_000, seconds: 2 };
    assert.equal(progressBar(view, 10), '[#####.....]  50 % 5,000/10,000 events, 2,500 events/s, 00:02 left');
    assert.equal(progressLine(view), 'copied 5,000/10,000 events, 2,500 events/s, 00:02 left (50 %)');
    assert.match(progressBar({ done: 0, total: 0, copied: 0, seconds: 0 }, 4), /^\[####\] 100 %/, 'an empty store is done at once');
  });
});
