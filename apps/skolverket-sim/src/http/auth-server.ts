import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { commonNameOf, organisationNumberOf } from '../tls/tls-material.js';
import { sameUrl, type AccessRequest } from '../tls/tokens.js';
import { addLatency, type SimContext } from './context.js';
import { readBody, send, type Reply } from './kit.js';

const MAX_GRANT_REQUEST = 64 * 1024;

/**
 * The authorisation server: `POST /transaction` over mutual TLS answers a GNAP grant request with an ES256
 * token; `GET /.well-known/jwks.json` publishes the key. The listener asks for a client certificate but lets
 * the handshake through without one, so the refusal can say why.
 */
export function authHandler(ctx: SimContext) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    const body = await readBody(req, MAX_GRANT_REQUEST);
    await addLatency(ctx);
    const path = req.url ?? '/';
    const pathname = new URL(path, 'https://localhost').pathname;
    let reply: Reply;
    if (pathname === '/.well-known/jwks.json') {
      reply = req.method === 'GET' ? { status: 200, body: ctx.tokens.jwks() } : refuse(405, 'invalid_request', 'Use GET');
    } else if (pathname === '/transaction') {
      reply = req.method === 'POST' ? await grant(ctx, req, body.body, body.tooLarge) : refuse(405, 'invalid_request', 'Use POST');
    } else {
      reply = refuse(404, 'invalid_request', `No such endpoint: ${pathname}`);
    }
    const responseBytes = send(res, reply);
    ctx.log.add({
      api: 'auth',
      method: req.method ?? '',
      path,
      status: reply.status,
      bytes: body.bytes,
      responseBytes,
      time: new Date(started).toISOString(),
      durationMs: Date.now() - started,
    });
  };
}

const refuse = (status: number, code: string, description: string): Reply => ({ status, body: { error: { code, description } } });

async function grant(ctx: SimContext, req: IncomingMessage, raw: Buffer, tooLarge: boolean): Promise<Reply> {
  const socket = req.socket as TLSSocket;
  const peer = socket.getPeerCertificate();
  if (!peer?.raw) return refuse(401, 'invalid_client', 'A client certificate is required (mutual TLS)');
  if (!socket.authorized) {
    return refuse(401, 'invalid_client', `The client certificate is not issued by the simulator's CA (${String(socket.authorizationError)})`);
  }
  if (tooLarge) return refuse(413, 'invalid_request', 'The grant request is too large');
  let request: any;
  try {
    request = JSON.parse(raw.toString('utf8'));
  } catch {
    return refuse(400, 'invalid_request', 'The body must be JSON');
  }
  const tokens = request?.access_token === undefined ? undefined : [request.access_token].flat();
  const access: AccessRequest[] = (tokens ?? []).flatMap((t: any) => (Array.isArray(t?.access) ? t.access : []));
  if (!tokens?.length || !access.length) return refuse(400, 'invalid_request', 'access_token[].access[] is required');
  const wanted = access.find((a) => a?.type === 'provisioning-api');
  if (!wanted) return refuse(400, 'invalid_request', 'Only access of type "provisioning-api" is granted here');
  if (!Array.isArray(wanted.locations) || !wanted.locations.some((l) => typeof l === 'string' && sameUrl(l, ctx.urls.provisioningUrl))) {
    return refuse(400, 'invalid_request', `access[].locations must hold the Provisioning API base URL ${ctx.urls.provisioningUrl}`);
  }

  const organisationNumber = organisationNumberOf(peer.raw);
  if (!organisationNumber) return refuse(401, 'invalid_client', 'The client certificate carries no organisation number');
  const key = request?.client?.key;
  let subject: string;
  let source: 'ca' | 'tlsfed';
  if (typeof key === 'string') {
    if (!ctx.settings.federationEntityIds.includes(key)) return refuse(401, 'invalid_client', `Unknown federation entity id ${key}`);
    subject = key;
    source = 'tlsfed';
  } else {
    const thumbprint = createHash('sha256').update(peer.raw).digest('base64');
    if (key?.proof !== 'mtls') return refuse(400, 'invalid_request', 'client.key must be {"proof":"mtls","cert#S256":…} or a federation entity id');
    if (key['cert#S256'] !== thumbprint) {
      return refuse(401, 'invalid_client', 'client.key["cert#S256"] is not the base64 SHA-256 of the presented certificate');
    }
    subject = thumbprint;
    source = 'ca';
  }

  const requested = [{ type: 'provisioning-api', locations: wanted.locations }];
  const lifetime = ctx.settings.tokenLifetimeSeconds;
  const value = await ctx.tokens.issue(
    {
      version: 1,
      auth_source: source,
      ...(source === 'tlsfed' ? { entity_id: subject } : { common_name: commonNameOf(peer.raw) }),
      organization_id: organisationNumber,
      requested_access: requested,
    },
    { issuer: ctx.urls.authOrigin, subject, audience: ctx.urls.provisioningUrl, lifetimeSeconds: lifetime, now: new Date() },
  );
  return { status: 200, body: { access_token: { value, access: requested, expires_in: lifetime, flags: ['bearer'] } } };
}
