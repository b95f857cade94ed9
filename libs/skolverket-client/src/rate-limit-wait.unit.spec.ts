import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rateLimitWaitMs } from './rate-limit-wait.js';

const NOW = 1_700_000_000_000;

describe('rateLimitWaitMs', () => {
  it('reads X-RateLimit-Reset as seconds until the quota resets, as Skolverket documents it', () => {
    assert.equal(rateLimitWaitMs({ 'x-ratelimit-reset': '0.5' }, NOW), 500);
    assert.equal(rateLimitWaitMs({ 'x-ratelimit-reset': '2' }, NOW), 2000);
  });

  it('accepts an epoch time in seconds or milliseconds', () => {
    assert.equal(rateLimitWaitMs({ 'x-ratelimit-reset': String(NOW / 1000 + 3) }, NOW), 3000);
    assert.equal(rateLimitWaitMs({ 'x-ratelimit-reset': String(NOW + 750) }, NOW), 750);
  });

  it('does not wait for a reset time already passed', () => {
    assert.equal(rateLimitWaitMs({ 'x-ratelimit-reset': String(NOW / 1000 - 5) }, NOW), 0);
  });

  it('falls back to Retry-After, then to one second', () => {
    assert.equal(rateLimitWaitMs({ 'retry-after': '3' }, NOW), 3000);
    assert.equal(rateLimitWaitMs({ 'retry-after': new Date(NOW + 4000).toUTCString() }, NOW), 4000);
    assert.equal(rateLimitWaitMs({}, NOW), 1000);
    assert.equal(rateLimitWaitMs({ 'x-ratelimit-reset': 'soon' }, NOW), 1000);
  });

  it('waits at most a minute whatever the header says', () => {
    assert.equal(rateLimitWaitMs({ 'x-ratelimit-reset': '86400' }, NOW), 60_000);
  });
});
