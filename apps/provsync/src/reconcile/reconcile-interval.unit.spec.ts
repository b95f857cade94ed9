import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../config/config.js';

const interval = (value?: string) => loadConfig(value === undefined ? {} : { PROVSYNC_RECONCILE_INTERVAL: value }).sync.reconcileIntervalMs;

describe('PROVSYNC_RECONCILE_INTERVAL', () => {
  it('is six hours unless set, and takes a duration in ms, s, m or h', () => {
    assert.equal(interval(), 6 * 3_600_000);
    assert.equal(interval(' '), 6 * 3_600_000, 'blank counts as unset');
    assert.deepEqual(['500ms', '90s', '30m', '2h'].map(interval), [500, 90_000, 1_800_000, 7_200_000]);
  });

  it('turns the scheduled reconcile off with 0', () => {
    assert.equal(interval('0'), 0);
  });

  it('refuses a bare number (its unit would be a guess) or anything else, naming the variable', () => {
    for (const bad of ['15', '6 hours', '-1h', '1.5h']) {
      assert.throws(() => interval(bad), (error: unknown) => error instanceof ConfigError && /^PROVSYNC_RECONCILE_INTERVAL must be a duration/.test(error.message), bad);
    }
  });
});
