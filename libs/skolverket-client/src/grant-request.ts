import { createHash, X509Certificate } from 'node:crypto';

/** Base64 SHA-256 over the DER encoding of the (first) certificate in a PEM, as the auth server compares it. */
export function certificateS256(certificatePem: string): string {
  const der = new X509Certificate(certificatePem).raw;
  return createHash('sha256').update(der).digest('base64');
}

export interface GrantRequestInput {
  provisioningUrl: string;
  clientCertPem: string;
  federationEntityId?: string;
}

/** The GNAP grant request for a bearer token to the Provisioning API. */
export function grantRequestBody(input: GrantRequestInput): object {
  const key = input.federationEntityId
    ? input.federationEntityId
    : { proof: 'mtls', 'cert#S256': certificateS256(input.clientCertPem) };
  return {
    access_token: [
      { access: [{ type: 'provisioning-api', locations: [input.provisioningUrl] }], flags: ['bearer'] },
    ],
    client: { key },
  };
}
