import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { main } from './main.js';

describe('provsync start-up with a bad setting', () => {
  let lines: string[] = [];
  const original = console.error;
  beforeEach(() => {
    lines = [];
    console.error = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  });
  afterEach(() => {
    console.error = original;
  });

  it('stops every command with exit code 78 and one line naming the variable, before it opens anything', async () => {
    const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
      [['status'], { PROVSYNC_STORE: 'mysql://db/provsync' }, /^provsync: PROVSYNC_STORE must be/],
      [['ingest', '-'], { PROVSYNC_KAFKA_TUNING: '{"slowAppendMs":0}' }, /^provsync: PROVSYNC_KAFKA_TUNING: slowAppendMs must be above 0$/],
      [['serve'], { PROVSYNC_SYNC_INTERVAL_MS: 'fast' }, /^provsync: PROVSYNC_SYNC_INTERVAL_MS must be a number of milliseconds$/],
      [['sync'], { KAFKA_BROKERS: 'kafka' }, /^provsync: KAFKA_BROKERS: "kafka" is not host:port/],
      [['rejected'], { PROVSYNC_HTTP_PORT: '-1' }, /^provsync: PROVSYNC_HTTP_PORT must be 0–65535$/],
    ];
    for (const [argv, env, expected] of cases) {
      lines = [];
      assert.equal(await main(argv, env), 78, argv.join(' '));
      assert.equal(lines.length, 1, lines.join('|'));
      assert.match(lines[0]!, expected);
      assert.equal(lines[0]!.split('\n').length, 1);
    }
  });

  it('refuses serve without a client certificate the same way', async () => {
    assert.equal(await main(['serve'], {}), 78);
    assert.deepEqual(lines, ['provsync: PROVSYNC_CLIENT_CERT is required to reach Skolverket: the path of the client certificate (PEM file)']);
  });
});
