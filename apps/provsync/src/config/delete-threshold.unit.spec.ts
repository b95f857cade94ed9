import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

describe('PROVSYNC_DELETE_THRESHOLD in loadConfig', () => {
  it('holds more than 500 deletes, or more than 10 % of a type, unless told otherwise', () => {
    assert.deepEqual(loadConfig({}).deleteThreshold, { maxObjects: 500, maxPercent: 10 });
    assert.deepEqual(loadConfig({ PROVSYNC_DELETE_THRESHOLD: ' ' }).deleteThreshold, { maxObjects: 500, maxPercent: 10 });
    assert.deepEqual(loadConfig({ PROVSYNC_DELETE_THRESHOLD: '2000' }).deleteThreshold, { maxObjects: 2000 });
    assert.deepEqual(loadConfig({ PROVSYNC_DELETE_THRESHOLD: '5%,100' }).deleteThreshold, { maxObjects: 100, maxPercent: 5 });
    assert.deepEqual(loadConfig({ PROVSYNC_DELETE_THRESHOLD: 'off' }).deleteThreshold, {});
  });

  it('stops with one line naming the variable and what it takes', () => {
    assert.throws(
      () => loadConfig({ PROVSYNC_DELETE_THRESHOLD: '500;10%' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /^PROVSYNC_DELETE_THRESHOLD must be a number of objects, a percentage, or both \(e\.g\. 500,10%\), or off; "500;10%" is not one$/.test(error.message),
    );
  });
});
