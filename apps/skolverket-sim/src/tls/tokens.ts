import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';

export interface AccessRequest {
  type: string;
  locations: string[];
}

/** The claims the simulator's authorisation server puts in a token, after SUNET's auth server. */
export interface TokenClaims extends JWTPayload {
  version: 1;
  auth_source: 'ca' | 'tlsfed';
  common_name?: string;
  entity_id?: string;
  organization_id: string;
  requested_access: AccessRequest[];
}

/**
 * The authorisation server's ES256 signing key (kept in the data folder, so tokens and JWKS survive a
 * restart) and what it does with it: sign tokens, publish the JWKS, verify bearer tokens.
 */
export class TokenAuthority {
  readonly jwk: JWK;

  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
    readonly kid: string,
  ) {
    this.jwk = { ...(publicKey.export({ format: 'jwk' }) as JWK), kid, alg: 'ES256', use: 'sig' };
  }

  static async open(dataDir: string): Promise<TokenAuthority> {
    const path = join(dataDir, 'token-signing-key.pem');
    if (!existsSync(path)) {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      renameSync(tmp, path);
    }
    const privateKey = createPrivateKey(readFileSync(path, 'utf8'));
    const publicKey = createPublicKey(privateKey);
    const kid = await calculateJwkThumbprint(publicKey.export({ format: 'jwk' }) as JWK);
    return new TokenAuthority(privateKey, publicKey, kid);
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.jwk] };
  }

  async issue(claims: TokenClaims, options: { issuer: string; subject: string; audience: string; lifetimeSeconds: number; now: Date }): Promise<string> {
    const iat = Math.floor(options.now.getTime() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: this.kid, typ: 'JWT' })
      .setIssuer(options.issuer)
      .setSubject(options.subject)
      .setAudience(options.audience)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + options.lifetimeSeconds)
      .sign(this.privateKey);
  }

  /** The claims of a token this authority signed, still valid, for `audience`; throws with the reason otherwise. */
  async verify(token: string, options: { issuer: string; audience: string }): Promise<TokenClaims & { sub: string }> {
    const { payload } = await jwtVerify(token, this.publicKey, {
      issuer: options.issuer,
      audience: options.audience,
      algorithms: ['ES256'],
      requiredClaims: ['sub', 'exp', 'nbf', 'organization_id'],
    });
    const claims = payload as TokenClaims & { sub: string };
    const grantsProvisioning = claims.requested_access?.some(
      (a) => a.type === 'provisioning-api' && a.locations?.some((l) => sameUrl(l, options.audience)),
    );
    if (!grantsProvisioning) throw new Error('the token grants no provisioning-api access to this location');
    return claims;
  }
}

export function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}
