import { OBJECT_TYPES, COLLECTION, type ObjectType } from '@provsync/skolverket-api';
import type { SimContext } from './context.js';
import type { Reply } from './kit.js';
import { present } from './provisioning-routes.js';

const TYPE_BY_COLLECTION = new Map<string, ObjectType>(OBJECT_TYPES.map((t) => [COLLECTION[t], t]));

export function storedObjects(ctx: SimContext, collection: string): unknown[] | undefined {
  const type = TYPE_BY_COLLECTION.get(collection);
  return type ? ctx.store.all(type).map((stored) => present(ctx, type, stored)) : undefined;
}

/**
 * The `__sim` endpoints for tests in other processes (only when introspection is on): stored objects, the
 * request log, and fault switches. They bypass authentication, limits and faults and are not logged.
 */
export function introspect(ctx: SimContext, method: string, path: string, body: Buffer): Reply {
  const objects = /^\/objects\/(\w+)$/.exec(path);
  if (method === 'GET' && objects) {
    const list = storedObjects(ctx, objects[1]!);
    return list ? { status: 200, body: list } : { status: 404, body: { message: `Unknown collection ${objects[1]}` } };
  }
  if (method === 'DELETE' && path === '/objects') {
    ctx.store.clear();
    return { status: 204 };
  }
  if (path === '/requests' && method === 'GET') return { status: 200, body: ctx.log.list() };
  if (path === '/requests' && method === 'DELETE') {
    ctx.log.clear();
    return { status: 204 };
  }
  if (path === '/faults' && method === 'GET') return { status: 200, body: ctx.faults };
  if (path === '/faults' && method === 'PUT') {
    let faults: unknown;
    try {
      faults = JSON.parse(body.toString('utf8'));
    } catch {
      return { status: 400, body: { message: 'The body must be JSON: {"temporaryErrorShare"?, "unavailableShare"?, "latencyMs"?}' } };
    }
    const problem = applyFaults(ctx, faults);
    return problem ? { status: 400, body: { message: problem } } : { status: 200, body: ctx.faults };
  }
  return { status: 404, body: { message: `No introspection endpoint ${method} ${path}` } };
}

/** Merges fault switches into the running ones; returns what is wrong with them, if anything. */
export function applyFaults(ctx: SimContext, faults: unknown): string | undefined {
  if (typeof faults !== 'object' || faults === null) return 'faults must be an object';
  const next = { ...ctx.faults };
  for (const [key, value] of Object.entries(faults)) {
    if (!(key in next)) return `unknown fault ${key}`;
    const share = key !== 'latencyMs';
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (share && value > 1)) {
      return `${key} must be a number ${share ? 'between 0 and 1' : 'of milliseconds ≥ 0'}`;
    }
    next[key as keyof typeof next] = value;
  }
  Object.assign(ctx.faults, next);
  return undefined;
}
