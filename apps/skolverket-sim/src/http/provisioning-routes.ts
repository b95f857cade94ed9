import { COLLECTION, OBJECT_TYPES, type ObjectType } from '@provsync/skolverket-api';
import type { Job, Operation } from '../domain/jobs.js';
import { requestProblems as R, toLogEntry, type Problem, type ResourceType } from '../domain/log-entries.js';
import type { StoredObject } from '../domain/store.js';
import { isUuid } from '../domain/uuid5.js';
import { isRecord } from '../domain/validation/shapes.js';
import type { SimContext } from './context.js';
import { compile, type Reply } from './kit.js';

export interface Call {
  ctx: SimContext;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Buffer;
  organisationNumber: string;
  /** Set by bulk writes: the ids in the body, for the request log. */
  objectIds?: string[];
}

export interface Route {
  method: string;
  template: ReturnType<typeof compile>;
  /** Writes and job-status calls share one limit, reads another. */
  callClass: 'write' | 'read';
  public?: boolean;
  handle(call: Call): Reply;
}

const RESOURCE: Record<ObjectType, ResourceType> = { person: 'Person', duty: 'Duty', group: 'Group', activity: 'Activity' };

export function problemReply(problem: Problem, resourceType?: ResourceType): Reply {
  return { status: problem.statusCode, body: [toLogEntry(problem, new Date(), resourceType ? { type: resourceType } : undefined)] };
}

/** An object as the read endpoints show it: what was stored, with Skolverket's meta and provisioningStatus. */
export function present(ctx: SimContext, type: ObjectType, stored: StoredObject): Record<string, unknown> {
  return { ...stored.value, meta: { created: stored.created, modified: stored.modified }, provisioningStatus: provisioned(ctx, type, stored) };
}

function provisioned(ctx: SimContext, type: ObjectType, stored: StoredObject): boolean {
  const value = stored.value;
  switch (type) {
    case 'person':
      return (Array.isArray(value.enrolments) && value.enrolments.some((e: any) => e?.cancelled !== true)) || ctx.store.hasDuties(stored.id);
    case 'group':
      return value.groupType === 'Klass' || ctx.store.referrersOf('group', stored.id).length > 0;
    default:
      return true;
  }
}

const PERSON_LIST_ATTRIBUTES = ['id', 'civicNo', 'eduPersonPrincipalNames', 'givenName', 'middleName', 'familyName', 'provisioningStatus', 'meta'];

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false; reply: Reply } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) };
  } catch {
    return { ok: false, reply: problemReply(R.invalidBody('body', 'kroppen är inte giltig JSON.')) };
  }
}

function booleanParam(query: URLSearchParams, name: string): boolean | Reply {
  const raw = query.get(name);
  if (raw === null) return false;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return problemReply(R.invalidBoolean(name, raw));
}

/** `{data: [...]}` with objects (create/update) or ids (delete); anything else is a 400 for the whole request. */
function bulkInputs(call: Call, operation: Operation): Job['inputs'] | Reply {
  const parsed = parseJson(call.body);
  if (!parsed.ok) return parsed.reply;
  const data = isRecord(parsed.value) ? parsed.value.data : undefined;
  if (!Array.isArray(data)) return problemReply(R.invalidBody('data', 'kroppen ska vara ett objekt med listan <data>.'));
  const inputs: Job['inputs'] = [];
  for (const [i, item] of data.entries()) {
    if (operation === 'delete') {
      if (!isUuid(item)) return problemReply(R.invalidBody(`data[${i}]`, 'värdet ska vara ett UUID enligt RFC4122.'));
      inputs.push(item);
    } else {
      if (!isRecord(item)) return problemReply(R.invalidBody(`data[${i}]`, 'värdet ska vara ett objekt.'));
      if (!isUuid(item.id)) return problemReply(R.invalidBody(`data[${i}].id`, 'id ska vara ett UUID enligt RFC4122.'));
      inputs.push(item);
    }
  }
  call.objectIds = inputs.map((input) => (typeof input === 'string' ? input : String(input.id)));
  return inputs;
}

function submit(type: ObjectType, operation: Operation) {
  return (call: Call): Reply => {
    const updateIfExists = operation === 'upsert' ? booleanParam(call.query, 'updateIfExists') : false;
    if (typeof updateIfExists !== 'boolean') return updateIfExists;
    const inputs = bulkInputs(call, operation);
    if (!Array.isArray(inputs)) return inputs;
    const job = call.ctx.jobs.submit(type, operation, call.organisationNumber, inputs, updateIfExists);
    return {
      status: 202,
      headers: { location: `${call.ctx.urls.provisioningUrl}/${COLLECTION[type]}/bulk/jobs/${job.id}` },
      body: {
        jobId: job.id,
        message: 'Anropet har tagits emot. Återkoppling görs asynkront. Kontrollera status av asynkrona processen genom att följa URL-adressen i ’Location’-header.',
      },
    };
  };
}

function findJob(type: ObjectType, call: Call): Job | Reply {
  const id = call.params.id!;
  if (!isUuid(id)) return problemReply(R.invalidPathId(id), RESOURCE[type]);
  return call.ctx.jobs.find(type, id, call.organisationNumber) ?? problemReply(R.notFound('Bulk-jobbet', id), RESOURCE[type]);
}

function jobStatus(type: ObjectType) {
  return (call: Call): Reply => {
    const onlyErrors = booleanParam(call.query, 'showOnlyError');
    if (typeof onlyErrors !== 'boolean') return onlyErrors;
    const job = findJob(type, call);
    if (!('responses' in job)) return job;
    const responses = onlyErrors ? job.responses.filter((r) => r.response.status === 'Error') : job.responses;
    return { status: 200, body: { jobId: job.id, responses } };
  };
}

function jobCompleted(type: ObjectType) {
  return (call: Call): Reply => {
    const job = findJob(type, call);
    return 'responses' in job ? { status: 200, body: job.completed } : job;
  };
}

function list(type: ObjectType) {
  return (call: Call): Reply => {
    const rawLimit = call.query.get('limit');
    const limit = rawLimit === null ? 50 : /^\d+$/.test(rawLimit) ? Number(rawLimit) : NaN;
    if (!(limit >= 1 && limit <= 100)) return problemReply(R.invalidLimit(rawLimit ?? ''));
    const rawToken = call.query.get('pageToken');
    const after = rawToken === null ? 0 : decodePageToken(rawToken, call.organisationNumber);
    if (after === undefined) return problemReply(R.invalidPageToken(rawToken!));
    const page = call.ctx.store.page(type, call.organisationNumber, after, limit);
    const last = page.items.at(-1);
    const data = page.items.map((stored) => {
      const shown = present(call.ctx, type, stored);
      return type === 'person' ? Object.fromEntries(PERSON_LIST_ATTRIBUTES.filter((k) => k in shown).map((k) => [k, shown[k]])) : shown;
    });
    return { status: 200, body: { data, pageToken: page.more && last ? encodePageToken(last.seq, call.organisationNumber) : null } };
  };
}

const encodePageToken = (seq: number, org: string) => Buffer.from(JSON.stringify({ after: seq, org })).toString('base64url');

function decodePageToken(token: string, org: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return Number.isInteger(parsed?.after) && parsed.after >= 0 && parsed.org === org ? parsed.after : undefined;
  } catch {
    return undefined;
  }
}

function byId(type: ObjectType) {
  return (call: Call): Reply => {
    const id = call.params.id!;
    if (!isUuid(id)) return problemReply(R.invalidPathId(id), RESOURCE[type]);
    const stored = call.ctx.store.get(type, id);
    if (!stored || stored.organisationNumber !== call.organisationNumber) return problemReply(R.notFound(RESOURCE[type], id), RESOURCE[type]);
    return { status: 200, body: present(call.ctx, type, stored) };
  };
}

function lookup(type: ObjectType) {
  const keys = type === 'person' ? ['ids', 'civicNos', 'eduPersonPrincipalNames'] : ['ids'];
  return (call: Call): Reply => {
    const parsed = parseJson(call.body);
    if (!parsed.ok) return parsed.reply;
    const request = parsed.value;
    if (!isRecord(request)) return problemReply(R.invalidBody('body', 'kroppen ska vara ett objekt.'));
    for (const key of keys) {
      const values = request[key];
      if (values !== undefined && !(Array.isArray(values) && values.every((v) => typeof v === 'string'))) {
        return problemReply(R.invalidBody(key, 'värdet ska vara en lista med texter.'));
      }
    }
    const ids = (request.ids as string[] | undefined) ?? [];
    const badId = ids.find((id) => !isUuid(id));
    if (badId !== undefined) return problemReply(R.invalidLookupIds(badId));
    const wantedIds = new Set(ids.map((id) => id.toLowerCase()));
    const civicNos = new Set((request.civicNos as string[] | undefined) ?? []);
    const eppns = new Set(((request.eduPersonPrincipalNames as string[] | undefined) ?? []).map((e) => e.toLowerCase()));
    const matches = (stored: StoredObject) => {
      if (wantedIds.has(stored.id)) return true;
      if (type !== 'person') return false;
      const civicNo = (stored.value.civicNo as { value?: string } | undefined)?.value;
      if (civicNo !== undefined && civicNos.has(civicNo)) return true;
      const list = stored.value.eduPersonPrincipalNames;
      return Array.isArray(list) && list.some((e) => typeof e === 'string' && eppns.has(e.toLowerCase()));
    };
    const candidates =
      type === 'person' && (civicNos.size > 0 || eppns.size > 0)
        ? call.ctx.store.all(type)
        : [...wantedIds].map((id) => call.ctx.store.get(type, id)).filter((s): s is StoredObject => s !== undefined);
    const found = candidates.filter((s) => s.organisationNumber === call.organisationNumber && matches(s));
    return { status: 200, body: found.map((s) => present(call.ctx, type, s)) };
  };
}

const route = (method: string, template: string, callClass: Route['callClass'], handle: Route['handle']): Route => ({
  method,
  template: compile(template),
  callClass,
  handle,
});

/** Every path of dnp-provisioning-api.yaml, relative to the base path. */
export const ROUTES: Route[] = [
  { ...route('GET', '/alive', 'read', () => ({ status: 200 })), public: true },
  ...OBJECT_TYPES.flatMap((type) => {
    const c = `/${COLLECTION[type]}`;
    return [
      route('GET', c, 'read', list(type)),
      route('POST', `${c}/lookup`, 'read', lookup(type)),
      route('POST', `${c}/bulk`, 'write', submit(type, 'upsert')),
      route('PUT', `${c}/bulk`, 'write', submit(type, 'update')),
      route('POST', `${c}/bulk/delete`, 'write', submit(type, 'delete')),
      route('GET', `${c}/bulk/jobs/{id}`, 'write', jobStatus(type)),
      route('GET', `${c}/bulk/jobs/{id}/isCompleted`, 'write', jobCompleted(type)),
      route('GET', `${c}/{id}`, 'read', byId(type)),
    ];
  }),
];
