import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestProblems as R } from '../domain/log-entries.js';
import { PROVISIONING_PATH } from '../options.js';
import { addLatency, unavailableNow, type SimContext } from './context.js';
import { introspect } from './introspection.js';
import { match, readBody, send, type Reply } from './kit.js';
import { problemReply, ROUTES, type Call, type Route } from './provisioning-routes.js';

type Resolved = { route: Route; params: Record<string, string> } | { reply: Reply };

function resolve(method: string, path: string): Resolved {
  let pathKnown = false;
  for (const route of ROUTES) {
    const params = match(route.template, path);
    if (!params) continue;
    if (route.method === method) return { route, params };
    pathKnown = true;
  }
  return { reply: problemReply(pathKnown ? R.methodNotAllowed(method, path) : R.unknownPath(PROVISIONING_PATH + path)) };
}

type Auth = { ok: true; subject: string; organisationNumber: string } | { ok: false; reason: string };

const TOKEN_REASONS: Record<string, string> = {
  ERR_JWT_EXPIRED: 'token har gått ut',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'signaturen är inte auktoriseringsserverns',
  ERR_JWS_INVALID: 'token är inte en JWS',
  ERR_JWT_INVALID: 'token är inte en JWT',
  ERR_JOSE_ALG_NOT_ALLOWED: 'algoritmen är inte ES256',
};

async function authenticate(ctx: SimContext, req: IncomingMessage): Promise<Auth> {
  const header = req.headers.authorization;
  const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token) return { ok: false, reason: 'Authorization-header med Bearer token saknas' };
  try {
    const claims = await ctx.tokens.verify(token, { issuer: ctx.urls.authOrigin, audience: ctx.urls.provisioningUrl });
    return { ok: true, subject: claims.sub, organisationNumber: claims.organization_id };
  } catch (error) {
    const e = error as { code?: string; claim?: string; message: string };
    const reason = TOKEN_REASONS[e.code ?? ''] ?? (e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' ? `claim ${e.claim} är ogiltigt` : e.message);
    return { ok: false, reason };
  }
}

/**
 * The Provisioning API. Each request passes, in order: added latency, the token, the per-client rate limit
 * (its headers go on every answer), the unavailability fault, the route, the body size limit.
 */
export function provisioningHandler(ctx: SimContext) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'https://localhost');
    const body = await readBody(req, ctx.settings.maxBodyBytes);
    const inBase = url.pathname === PROVISIONING_PATH || url.pathname.startsWith(`${PROVISIONING_PATH}/`);
    const path = inBase ? url.pathname.slice(PROVISIONING_PATH.length) || '/' : url.pathname;

    if (inBase && ctx.settings.introspection && path.startsWith('/__sim/')) {
      send(res, introspect(ctx, method, path.slice('/__sim'.length), body.body));
      return;
    }
    await addLatency(ctx);
    const resolved = inBase ? resolve(method, path) : { reply: problemReply(R.unknownPath(url.pathname)) };
    const route = 'route' in resolved ? resolved.route : undefined;
    const auth = route?.public ? undefined : await authenticate(ctx, req);
    const client = auth?.ok ? auth.subject : `anonymous:${req.socket.remoteAddress}`;
    const rate = ctx.limiter?.take(client, route?.callClass ?? 'read', Date.now());
    const call: Call = {
      ctx,
      params: 'params' in resolved ? resolved.params : {},
      query: url.searchParams,
      body: body.body,
      organisationNumber: auth?.ok ? auth.organisationNumber : '',
    };

    let reply: Reply;
    if (rate && !rate.allowed) reply = problemReply(R.tooManyRequests());
    else if (unavailableNow(ctx)) reply = problemReply(R.unavailable());
    else if ('reply' in resolved) reply = resolved.reply;
    else if (auth && !auth.ok) reply = problemReply(R.invalidToken(auth.reason));
    else if (body.tooLarge) reply = problemReply(R.payloadTooLarge());
    else reply = resolved.route.handle(call);

    const headers: Record<string, string> = rate
      ? { 'x-ratelimit-limit': String(rate.limit), 'x-ratelimit-remaining': String(rate.remaining), 'x-ratelimit-reset': String(rate.resetSeconds) }
      : {};
    const responseBytes = send(res, { ...reply, headers: { ...headers, ...reply.headers } });
    ctx.log.add({
      api: 'provisioning',
      method,
      path: req.url ?? '/',
      status: reply.status,
      bytes: body.bytes,
      responseBytes,
      time: new Date(started).toISOString(),
      durationMs: Date.now() - started,
      ...(call.objectIds ? { objectIds: call.objectIds } : {}),
    });
  };
}
