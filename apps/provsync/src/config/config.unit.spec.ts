import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, httpListener, skolverketSettings, storeUrl } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'provsync-config-'));
const pem = join(dir, 'cert.pem');
writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const complete = { PROVSYNC_CLIENT_CERT: pem, PROVSYNC_CLIENT_KEY: pem, PROVSYNC_ORGANISATION_NUMBER: '212000-0001' };

function refusal(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.message;
  }
  assert.fail('expected a ConfigError');
}

describe('configuration from the environment', () => {
  it('defaults the store to the embedded SQLite file and production Skolverket URLs', () => {
    assert.equal(storeUrl({}), 'sqlite:./data/provsync.db');
    const settings = skolverketSettings(complete);
    assert.equal(settings.provisioningUrl, 'https://api.skolverket.se/provtjanst/provisioning/v1');
    assert.equal(settings.jwksUrl, 'https://nutid-auth.sunet.se/.well-known/jwks.json');
    assert.equal(settings.organisationNumber, '2120000001');
    assert.match(settings.clientCert, /BEGIN CERTIFICATE/);
  });

  it('derives the JWKS URL from the auth server and takes an explicit one', () => {
    assert.equal(skolverketSettings({ ...complete, SKOLVERKET_AUTH_URL: 'https://127.0.0.1:9443/transaction' }).jwksUrl, 'https://127.0.0.1:9443/.well-known/jwks.json');
    assert.equal(skolverketSettings({ ...complete, SKOLVERKET_JWKS_URL: 'https://keys.example/jwks' }).jwksUrl, 'https://keys.example/jwks');
  });

  it('names the variable that is missing or wrong, in one line', () => {
    const cases: Array<[NodeJS.ProcessEnv, string]> = [
      [{ ...complete, PROVSYNC_CLIENT_CERT: undefined }, 'PROVSYNC_CLIENT_CERT'],
      [{ ...complete, PROVSYNC_CLIENT_KEY: join(dir, 'missing.pem') }, 'PROVSYNC_CLIENT_KEY'],
      [{ ...complete, PROVSYNC_ORGANISATION_NUMBER: '12' }, 'PROVSYNC_ORGANISATION_NUMBER'],
      [{ ...complete, SKOLVERKET_PROVISIONING_URL: 'http://plain.example' }, 'SKOLVERKET_PROVISIONING_URL'],
    ];
    for (const [env, name] of cases) {
      const message = refusal(() => skolverketSettings(env));
      assert.match(message, new RegExp(name));
      assert.equal(message.split('\n').length, 1);
    }
    assert.match(refusal(() => storeUrl({ PROVSYNC_STORE: 'mysql://x' })), /PROVSYNC_STORE/);
    assert.match(refusal(() => httpListener({ PROVSYNC_HTTP_PORT: 'eighty' })), /PROVSYNC_HTTP_PORT/);
    assert.deepEqual(httpListener({}), { port: 8080, host: '127.0.0.1' });
  });
});
