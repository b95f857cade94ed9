import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { ensureTlsMaterial } from '../src/tls/tls-material.js';
import { SimClient, startTestSim, type TestSim } from './support/client.js';

let t: TestSim;
let foreignDir: string;
before(async () => {
  t = await startTestSim({ federationEntityIds: ['https://kommun.example/fedtls'] });
  foreignDir = mkdtempSync(join(tmpdir(), 'provsync-foreign-'));
});
after(async () => {
  await t.stop();
  rmSync(foreignDir, { recursive: true, force: true });
});

const grant = (client: SimClient, body: unknown = client.grantRequest()) => client.send('POST', client.sim.authUrl, { json: body, token: null });

describe('authorisation server', () => {
  it('answers a mutual-TLS grant request with an ES256 token the JWKS verifies', async () => {
    const answer = await grant(t.client);
    assert.equal(answer.status, 200, answer.text);
    const token = answer.json.access_token;
    assert.equal(token.expires_in, 3600);
    assert.deepEqual(token.flags, ['bearer']);
    assert.deepEqual(token.access, [{ type: 'provisioning-api', locations: [t.sim.provisioningUrl] }]);

    const anonymous = new SimClient(t.sim, { cert: null, key: null });
    const jwks = await anonymous.send('GET', t.sim.jwksUrl);
    await anonymous.close();
    assert.equal(jwks.status, 200);
    const header = decodeProtectedHeader(token.value);
    assert.equal(header.alg, 'ES256');
    assert.equal(header.kid, jwks.json.keys[0].kid);
    const { payload } = await jwtVerify(token.value, createLocalJWKSet(jwks.json), {
      issuer: new URL(t.sim.authUrl).origin,
      audience: t.sim.provisioningUrl,
    });
    assert.equal(payload.organization_id, '2120000001');
    assert.equal(payload.exp! - payload.nbf!, 3600);
    assert.deepEqual(payload.requested_access, token.access);
    assert.equal(payload.auth_source, 'ca');
  });

  it('gives no token to a client without a certificate, or with one from another CA', async () => {
    const anonymous = new SimClient(t.sim, { cert: null, key: null });
    const noCert = await grant(anonymous, t.client.grantRequest());
    await anonymous.close();
    assert.equal(noCert.status, 401);
    assert.equal(noCert.json.error.code, 'invalid_client');
    assert.equal(noCert.json.access_token, undefined);

    const foreign = await ensureTlsMaterial(foreignDir, { number: '2120000001', name: 'Falsk kommun' });
    const impostor = new SimClient(t.sim, { cert: foreign.clientCertPath, key: foreign.clientKeyPath });
    const refused = await grant(impostor, impostor.grantRequest(foreign.clientCertPath));
    await impostor.close();
    assert.equal(refused.status, 401);
    assert.match(refused.json.error.description, /not issued by the simulator's CA/);
    assert.equal(refused.json.access_token, undefined);
  });

  it('checks the grant request: the certificate thumbprint, the access type and the Provisioning location', async () => {
    const body = t.client.grantRequest() as any;
    const wrongThumbprint = structuredClone(body);
    wrongThumbprint.client.key['cert#S256'] = Buffer.alloc(32).toString('base64');
    assert.equal((await grant(t.client, wrongThumbprint)).status, 401);
    const wrongType = structuredClone(body);
    wrongType.access_token[0].access[0].type = 'ss12000-client';
    assert.equal((await grant(t.client, wrongType)).status, 400);
    const wrongLocation = structuredClone(body);
    wrongLocation.access_token[0].access[0].locations = ['https://api.skolverket.se/provtjanst/provisioning/v1'];
    assert.match((await grant(t.client, wrongLocation)).json.error.description, /locations/);
    assert.equal((await t.client.send('POST', t.sim.authUrl, { raw: 'not json', token: null })).status, 400);
    assert.equal((await t.client.send('GET', t.sim.authUrl, { token: null })).status, 405);
  });

  it('accepts a configured TLS-federation entity id as client.key, and no other', async () => {
    const federated = { ...t.client.grantRequest(), client: { key: 'https://kommun.example/fedtls' } };
    const answer = await grant(t.client, federated);
    assert.equal(answer.status, 200, answer.text);
    const payload = JSON.parse(Buffer.from(answer.json.access_token.value.split('.')[1], 'base64url').toString());
    assert.equal(payload.auth_source, 'tlsfed');
    assert.equal(payload.sub, 'https://kommun.example/fedtls');
    assert.equal((await t.client.api('GET', '/persons', { token: answer.json.access_token.value })).status, 200);
    assert.equal((await grant(t.client, { ...federated, client: { key: 'https://other.example' } })).status, 401);
  });

  it('refuses at the Provisioning API a token the simulator did not sign, with a LogEntry', async () => {
    const genuine = await t.client.token();
    const claims = JSON.parse(Buffer.from(genuine.split('.')[1]!, 'base64url').toString());
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: decodeProtectedHeader(genuine).kid! }).sign(privateKey);
    for (const token of [forged, `${genuine.slice(0, -4)}AAAA`, 'garbage']) {
      const answer = await t.client.api('GET', '/persons', { token });
      assert.equal(answer.status, 403);
      assert.equal(answer.json[0].id, '5002');
      assert.equal(answer.json[0].severityLevel, 'Error');
    }
    const none = await t.client.api('GET', '/persons', { token: null });
    assert.equal(none.status, 403);
    assert.equal((await t.client.api('GET', '/alive', { token: null })).status, 200);
  });

  it('lets a token expire after the configured lifetime', async () => {
    // exp counts whole seconds from a floored iat, so a 3 s token lives between 2 and 3 s: long enough
    // for the first call on a loaded machine. Then wait until its own exp has passed, not a fixed time.
    const short = await startTestSim({ tokenLifetimeSeconds: 3 });
    try {
      const answer = await grant(short.client);
      assert.equal(answer.json.access_token.expires_in, 3);
      const token = answer.json.access_token.value;
      assert.equal((await short.client.api('GET', '/persons', { token })).status, 200);
      const { exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
      await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 100));
      const expired = await short.client.api('GET', '/persons', { token });
      assert.equal(expired.status, 403);
      assert.match(expired.json[0].message, /gått ut/);
    } finally {
      await short.stop();
    }
  });

  it('reuses the TLS material and signing key it finds in its data folder', async () => {
    const files = [t.sim.ca, t.sim.clientCert, t.sim.clientKey].map((f) => readFileSync(f, 'utf8'));
    const again = await startTestSim({ dataDir: t.dir });
    try {
      assert.deepEqual([again.sim.ca, again.sim.clientCert, again.sim.clientKey].map((f) => readFileSync(f, 'utf8')), files);
      const jwks = await again.client.send('GET', again.sim.jwksUrl);
      assert.equal(jwks.json.keys[0].kid, decodeProtectedHeader(await t.client.token()).kid);
      assert.equal((await again.client.api('GET', '/alive')).status, 200);
    } finally {
      await again.client.close();
      await again.sim.stop();
    }
  });
});
