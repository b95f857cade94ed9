import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import { SkolverketClient, TokenVerificationError } from './index.js';
import { startTestSimulator, type SimulatorFixture } from '../../../test/support/simulator-fixture.js';

describe('SkolverketClient refusing tokens it cannot trust', () => {
  let env: SimulatorFixture;
  let foreignJwks: Server;
  let foreignJwksUrl: string;

  before(async () => {
    env = await startTestSimulator();
    // A key set holding only a key the simulator's authorisation server never signed with.
    const { publicKey } = await generateKeyPair('ES256');
    const keys = { keys: [{ ...(await exportJWK(publicKey)), kid: 'foreign', alg: 'ES256', use: 'sig' }] };
    foreignJwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(keys)));
    await new Promise<void>((resolve) => foreignJwks.listen(0, '127.0.0.1', resolve));
    foreignJwksUrl = `http://127.0.0.1:${(foreignJwks.address() as AddressInfo).port}/jwks.json`;
  });
  after(async () => {
    await new Promise((resolve) => foreignJwks?.close(resolve));
    await env?.stop();
  });

  it('refuses a JWT signed by a key outside the trusted key set, and makes no API call with it', async () => {
    const client = new SkolverketClient({ ...env.config, jwksUrl: foreignJwksUrl });
    try {
      await assert.rejects(client.lookup('person', [randomUUID()]), (error: unknown) => {
        assert.ok(error instanceof TokenVerificationError);
        assert.equal(error.code, 'SKOLVERKET_TOKEN_INVALID');
        return true;
      });
      assert.equal(client.stats().readCalls, 0);
    } finally {
      await client.close();
    }
  });

  it('refuses a JWT from another issuer than the configured one', async () => {
    const client = new SkolverketClient({ ...env.config, issuer: 'https://auth.elsewhere.example' });
    try {
      await assert.rejects(client.lookup('person', [randomUUID()]), TokenVerificationError);
    } finally {
      await client.close();
    }
  });
});
