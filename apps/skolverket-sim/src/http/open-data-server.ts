import type { IncomingMessage, ServerResponse } from 'node:http';
import { isUuid } from '../domain/uuid5.js';
import { OPEN_DATA_PATH } from '../options.js';
import { addLatency, unavailableNow, type SimContext } from './context.js';
import { compile, match, readBody, send, type Reply } from './kit.js';

type Handler = (ctx: SimContext, params: Record<string, string>, query: URLSearchParams) => Reply;

const error = (code: number, message: string): Reply => ({ status: code, body: { code, message, timeStamp: new Date().toISOString() } });
const found = (body: unknown, what: string): Reply => (body ? { status: 200, body } : error(404, `${what} not found`));

/** Answers 400 for an id that is not a UUID, as the open-data API does. */
const byId =
  (lookup: (ctx: SimContext, id: string, query: URLSearchParams) => unknown, what: string): Handler =>
  (ctx, { id }, query) =>
    isUuid(id) ? found(lookup(ctx, id!, query), what) : error(400, 'Invalid parameter: id');

function organisation(ctx: SimContext, org: ReturnType<SimContext['reference']['organisationById']>, query: URLSearchParams) {
  if (!org) return undefined;
  return query.get('expandSchoolUnits') === 'true' ? { ...org, schoolUnits: ctx.reference.schoolUnitsOf(org.organisationNumber) } : org;
}

const ROUTES: Array<[ReturnType<typeof compile>, Handler]> = (
  [
    ['/alive', () => ({ status: 200 })],
    ['/organisations/code/{code}', (ctx, { code }, q) => found(organisation(ctx, ctx.reference.organisationByNumber(code!), q), 'Organisation')],
    ['/organisations/{id}', byId((ctx, id, q) => organisation(ctx, ctx.reference.organisationById(id), q), 'Organisation')],
    ['/schoolUnits/code/{code}', (ctx, { code }) => found(ctx.reference.schoolUnitByCode(code!), 'School unit')],
    ['/schoolUnits/{id}', byId((ctx, id) => ctx.reference.schoolUnitById(id), 'School unit')],
    ['/programmes', (ctx) => ({ status: 200, body: ctx.reference.programmes })],
    ['/programmes/code/{code}', (ctx, { code }) => found(ctx.reference.programmeByCode(code!), 'Programme')],
    ['/programmes/{id}', byId((ctx, id) => ctx.reference.programmeById(id), 'Programme')],
    ['/activities', (ctx) => ({ status: 200, body: ctx.reference.activities })],
    ['/activities/{id}', byId((ctx, id) => ctx.reference.activityById(id), 'Activity')],
  ] as Array<[string, Handler]>
).map(([template, handler]) => [compile(OPEN_DATA_PATH + template), handler]);

/** The open-data API: no authentication, GET only, the seed's organisers, school units, programmes and activities. */
export function openDataHandler(ctx: SimContext) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    const body = await readBody(req, 0);
    await addLatency(ctx);
    const url = new URL(req.url ?? '/', 'https://localhost');
    let reply: Reply | undefined;
    if (unavailableNow(ctx)) reply = error(503, 'Service unavailable');
    else if (url.searchParams.has('expandSchoolUnits') && !['true', 'false'].includes(url.searchParams.get('expandSchoolUnits')!)) {
      reply = error(400, 'Invalid parameter: expandSchoolUnits');
    } else {
      for (const [template, handler] of ROUTES) {
        const params = match(template, url.pathname);
        if (!params) continue;
        reply = req.method === 'GET' ? handler(ctx, params, url.searchParams) : error(405, `Method ${req.method} not allowed`);
        break;
      }
    }
    reply ??= error(404, `No such path: ${url.pathname}`);
    const responseBytes = send(res, reply);
    ctx.log.add({
      api: 'open-data',
      method: req.method ?? '',
      path: req.url ?? '/',
      status: reply.status,
      bytes: body.bytes,
      responseBytes,
      time: new Date(started).toISOString(),
      durationMs: Date.now() - started,
    });
  };
}
