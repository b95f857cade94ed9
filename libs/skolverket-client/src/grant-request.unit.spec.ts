import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { certificateS256, grantRequestBody } from './grant-request.js';

// A throwaway self-signed P-256 certificate (no key kept). Its thumbprint was computed independently:
//   openssl x509 -outform der | openssl dgst -sha256 -binary | base64
const CERT = `-----BEGIN CERTIFICATE-----
MIIBkDCCATegAwIBAgIUNPGz2QRdXQxye4TY8MOSuWJljGEwCgYIKoZIzj0EAwIw
HTEbMBkGA1UEAwwScHJvdnN5bmMgdW5pdCB0ZXN0MCAXDTI2MTEyNTEzMzc0N1oY
DzIxMjYxMTAxMTMzNzQ3WjAdMRswGQYDVQQDDBJwcm92c3luYyB1bml0IHRlc3Qw
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAT6RwPp34Cq2/SS3dEUI36hGWEsTRFH
oy3Lqw9pNfJ78QgFYMBkqTNzWcNiaW0bqiPlVZmZzQpp2t9NunJwJzmbo1MwUTAd
BgNVHQ4EFgQU98MM4mZm3puI7o5MOAk6Uawq/ygwHwYDVR0jBBgwFoAU98MM4mZm
3puI7o5MOAk6Uawq/ygwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBE
AiBIYe+YklDEFarqxn2Fm8f84pqwqPmG8mDQUxwRxZVYOgIgQe1BC8RBRWETx3Jt
pQ9M8J38l4LKb+WSMKvcS61HFEk=
-----END CERTIFICATE-----
`;
const S256 = 'AjUZ4DIEofWEMVpmpHXf737HChtKz4vARKOhaf2V9h8=';
const PROVISIONING = 'https://api.skolverket.se/provtjanst/provisioning/v1';

describe('certificateS256', () => {
  it('is the standard base64 SHA-256 of the DER certificate', () => {
    assert.equal(certificateS256(CERT), S256);
  });

  it('reads the first certificate of a PEM chain', () => {
    assert.equal(certificateS256(CERT + CERT), S256);
  });

  it('refuses text that is not a certificate', () => {
    assert.throws(() => certificateS256('not a certificate'));
  });
});

describe('grantRequestBody', () => {
  it('asks for a bearer token to the Provisioning API, keyed by the mTLS certificate thumbprint', () => {
    assert.deepEqual(grantRequestBody({ provisioningUrl: PROVISIONING, clientCertPem: CERT }), {
      access_token: [{ access: [{ type: 'provisioning-api', locations: [PROVISIONING] }], flags: ['bearer'] }],
      client: { key: { proof: 'mtls', 'cert#S256': S256 } },
    });
  });

  it('names the client by its federation entity id when one is configured', () => {
    const body = grantRequestBody({
      provisioningUrl: PROVISIONING,
      clientCertPem: CERT,
      federationEntityId: 'https://sis.example.se/entity',
    });
    assert.deepEqual((body as { client: unknown }).client, { key: 'https://sis.example.se/entity' });
  });
});
