import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { CONFIG_VARIABLES, ConfigError, loadConfig, requireSkolverket, skolverketSettings } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'provsync-config-'));
const pem = join(dir, 'cert.pem');
writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const notPem = join(dir, 'not.pem');
writeFileSync(notPem, 'hello');
const complete = { PROVSYNC_CLIENT_CERT: pem, PROVSYNC_CLIENT_KEY: pem, PROVSYNC_ORGANISATION_NUMBER: '212000-0001' };

function refusal(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected a ConfigError');
}

describe('loadConfig: every setting from the environment, once', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    assert.equal(config.store, 'sqlite:./data/provsync.db');
    assert.deepEqual(config.http, { port: 8080, host: '127.0.0.1' });
    assert.deepEqual(config.sync, { intervalMs: 200, reconcileIntervalMs: 6 * 3_600_000 });
    assert.equal(config.kafka, undefined);
  });

  it('counts a blank value as unset', () => {
    const config = loadConfig({ PROVSYNC_STORE: '', KAFKA_BROKERS: '  ', PROVSYNC_SYNC_INTERVAL_MS: ' ' });
    assert.equal(config.store, 'sqlite:./data/provsync.db');
    assert.equal(config.kafka, undefined);
    assert.deepEqual(config.sync, { intervalMs: 200, reconcileIntervalMs: 6 * 3_600_000 });
  });

  it('keeps PROVSYNC_STORE URLs of every store kind', () => {
    for (const url of ['sqlite:/var/lib/provsync.db', 'postgres://u@db:5432/provsync', 'postgresql://db/p', 'kurrentdb://es:2113?tls=false', 'esdb+discover://es:2113']) {
      assert.equal(loadConfig({ PROVSYNC_STORE: url }).store, url);
    }
  });

  it('reads the Skolverket connection with production URLs by default', () => {
    const settings = requireSkolverket(loadConfig(complete));
    assert.equal(settings.provisioningUrl, 'https://api.skolverket.se/provtjanst/provisioning/v1');
    assert.equal(settings.openDataUrl, 'https://api.skolverket.se/provtjanst/open-data/v1');
    assert.equal(settings.jwksUrl, 'https://nutid-auth.sunet.se/.well-known/jwks.json');
    assert.equal(settings.organisationNumber, '2120000001');
    assert.match(settings.clientCert, /BEGIN CERTIFICATE/);
    assert.equal(settings.ca, undefined);
  });

  it('derives the JWKS URL from the auth server and takes an explicit one; drops a trailing slash', () => {
    assert.equal(skolverketSettings({ ...complete, SKOLVERKET_AUTH_URL: 'https://127.0.0.1:9443/transaction' }).jwksUrl, 'https://127.0.0.1:9443/.well-known/jwks.json');
    assert.equal(skolverketSettings({ ...complete, SKOLVERKET_JWKS_URL: 'https://keys.example/jwks' }).jwksUrl, 'https://keys.example/jwks');
    assert.equal(skolverketSettings({ ...complete, SKOLVERKET_PROVISIONING_URL: 'https://sim:9443/p/v1/' }).provisioningUrl, 'https://sim:9443/p/v1');
  });

  it('needs the client certificate, key and organisation number only when Skolverket is called', () => {
    const config = loadConfig({ PROVSYNC_CLIENT_CERT: pem });
    assert.match(refusal(() => requireSkolverket(config)), /^PROVSYNC_CLIENT_KEY is required/);
    assert.match(refusal(() => requireSkolverket(loadConfig({}))), /^PROVSYNC_CLIENT_CERT is required/);
    assert.match(refusal(() => skolverketSettings({ PROVSYNC_CLIENT_CERT: pem, PROVSYNC_CLIENT_KEY: pem })), /^PROVSYNC_ORGANISATION_NUMBER is required/);
  });

  it('takes one sync interval for `provsync sync` and serve alike', () => {
    assert.deepEqual(loadConfig({ PROVSYNC_SYNC_INTERVAL_MS: '50' }).sync, { intervalMs: 50, reconcileIntervalMs: 6 * 3_600_000 });
  });

  it('leaves test-only variables to the test entry points that read them', () => {
    assert.deepEqual(loadConfig({ PROVSYNC_FAULT_CRASH_AT: 'after-accept', CRASH_AFTER_APPENDS: '3' }), loadConfig({}));
  });

  it('turns Kafka on with KAFKA_BROKERS, with default topic, group, dead-letter topic and client id', () => {
    assert.deepEqual(loadConfig({ KAFKA_BROKERS: '127.0.0.1:19092, kafka-2.kommun.local:9092,[::1]:9092' }).kafka, {
      brokers: ['127.0.0.1:19092', 'kafka-2.kommun.local:9092', '[::1]:9092'],
      topic: 'sis.changes',
      groupId: 'provsync',
      dlqTopic: 'sis.changes.dlq',
      clientId: 'provsync',
      tuning: {},
    });
  });

  it('takes KAFKA_TOPIC, KAFKA_GROUP_ID, KAFKA_DLQ_TOPIC, KAFKA_CLIENT_ID and PROVSYNC_KAFKA_TUNING', () => {
    const kafka = loadConfig({
      KAFKA_BROKERS: '127.0.0.1:19092', KAFKA_TOPIC: 'sis.changes.v2', KAFKA_GROUP_ID: 'provsync-0180', KAFKA_DLQ_TOPIC: 'sis.dlq',
      KAFKA_CLIENT_ID: 'provsync-a', PROVSYNC_KAFKA_TUNING: '{"sessionTimeoutMs":2000,"maxBytesPerPartition":32768}',
    }).kafka;
    assert.deepEqual(kafka, {
      brokers: ['127.0.0.1:19092'], topic: 'sis.changes.v2', groupId: 'provsync-0180', dlqTopic: 'sis.dlq', clientId: 'provsync-a',
      tuning: { sessionTimeoutMs: 2000, maxBytesPerPartition: 32768 },
    });
  });

  it('refuses a bad value in one line that names the variable, whichever command runs', () => {
    const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
      [{ PROVSYNC_STORE: 'mysql://x' }, /^PROVSYNC_STORE must be sqlite:/],
      [{ PROVSYNC_CLIENT_KEY: join(dir, 'missing.pem') }, /^PROVSYNC_CLIENT_KEY must name a readable PEM file/],
      [{ PROVSYNC_CA: notPem }, /^PROVSYNC_CA must name a readable PEM file/],
      [{ PROVSYNC_ORGANISATION_NUMBER: '12' }, /^PROVSYNC_ORGANISATION_NUMBER must be a 10-digit/],
      [{ SKOLVERKET_PROVISIONING_URL: 'http://plain.example' }, /^SKOLVERKET_PROVISIONING_URL must be an https:\/\/ URL/],
      [{ SKOLVERKET_JWKS_URL: 'not a url' }, /^SKOLVERKET_JWKS_URL must be an https:\/\/ URL/],
      [{ PROVSYNC_HTTP_PORT: 'eighty' }, /^PROVSYNC_HTTP_PORT must be a port number/],
      [{ PROVSYNC_HTTP_PORT: '70000' }, /^PROVSYNC_HTTP_PORT must be 0–65535/],
      [{ PROVSYNC_SYNC_INTERVAL_MS: 'soon' }, /^PROVSYNC_SYNC_INTERVAL_MS must be a number of milliseconds/],
      [{ PROVSYNC_SYNC_INTERVAL_MS: '0' }, /^PROVSYNC_SYNC_INTERVAL_MS must be above 0/],
      [{ PROVSYNC_SYNC_INTERVAL_MS: '1.5' }, /^PROVSYNC_SYNC_INTERVAL_MS must be a whole number/],
      [{ KAFKA_BROKERS: 'localhost' }, /^KAFKA_BROKERS: "localhost" is not host:port/],
      [{ KAFKA_BROKERS: '127.0.0.1:1', KAFKA_TOPIC: 'sis changes' }, /^KAFKA_TOPIC: "sis changes" is not a Kafka topic name/],
      [{ KAFKA_DLQ_TOPIC: 'dlq/1' }, /^KAFKA_DLQ_TOPIC: "dlq\/1" is not a Kafka topic name/],
      [{ PROVSYNC_KAFKA_TUNING: '{slowAppendMs: 5000}' }, /^PROVSYNC_KAFKA_TUNING must be a JSON object/],
      [{ PROVSYNC_KAFKA_TUNING: '[1]' }, /^PROVSYNC_KAFKA_TUNING must be a JSON object/],
      [{ PROVSYNC_KAFKA_TUNING: '{"slowAppendMs":-1}' }, /^PROVSYNC_KAFKA_TUNING: slowAppendMs must be above 0/],
      [{ PROVSYNC_KAFKA_TUNING: '{"slowAppendMs":"5s"}' }, /^PROVSYNC_KAFKA_TUNING: slowAppendMs must be a number/],
      [{ PROVSYNC_KAFKA_TUNING: '{"slowAppendMS":5000}' }, /^PROVSYNC_KAFKA_TUNING: unknown setting "slowAppendMS" \(known: heartbeatEveryMs, slowAppendMs/],
    ];
    for (const [env, expected] of cases) {
      const message = refusal(() => loadConfig(env));
      assert.match(message, expected);
      assert.equal(message.split('\n').length, 1, message);
    }
  });
});

describe("README.md's configuration table", () => {
  it('lists every variable loadConfig reads, and no other', () => {
    let root = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(root, 'package.json'))) root = dirname(root);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
    const firstColumns = table.split('\n').filter((line) => line.startsWith('| `')).map((line) => line.split('|')[1]!);
    const listed = firstColumns.flatMap((cell) => [...cell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));
    assert.deepEqual([...listed].sort(), [...CONFIG_VARIABLES].sort());
  });
});
