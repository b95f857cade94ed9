import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';

/** What a handler answers; the listener turns it into JSON on the wire. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ReadBody {
  body: Buffer;
  bytes: number;
  /** More bytes came than the limit: the body was counted to its end but not kept. */
  tooLarge: boolean;
}

/** Bodies beyond this are not even counted to their end: the connection is cut. */
const HARD_CAP = 64 * 1024 * 1024;

/** Reads a request body, keeping at most `max` bytes. Draining the rest keeps the connection usable for the 413. */
export function readBody(req: IncomingMessage, max: number): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= max) chunks.push(chunk);
      if (bytes > HARD_CAP) req.destroy(new Error('request body too large'));
    });
    req.on('end', () => resolve({ body: bytes <= max ? Buffer.concat(chunks) : Buffer.alloc(0), bytes, tooLarge: bytes > max }));
    req.on('error', reject);
  });
}

/** Sends a reply as JSON and returns the number of body bytes sent. */
export function send(res: ServerResponse, reply: Reply): number {
  const payload = reply.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(reply.body));
  res.writeHead(reply.status, {
    ...(reply.body === undefined ? {} : { 'content-type': 'application/json' }),
    'content-length': String(payload.length),
    ...reply.headers,
  });
  res.end(payload);
  return payload.length;
}

export interface Listener {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** An HTTPS listener on loopback. */
export async function listen(options: ServerOptions, port: number, handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<Listener> {
  const server = createServer(options, (req, res) => {
    handler(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { message: (error as Error).message } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Matches `/persons/{id}`-style templates. */
export function compile(template: string): { pattern: RegExp; keys: string[] } {
  const keys: string[] = [];
  const source = template
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
      keys.push(param[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), keys };
}

export function match(template: { pattern: RegExp; keys: string[] }, path: string): Record<string, string> | undefined {
  const m = template.pattern.exec(path);
  if (!m) return undefined;
  return Object.fromEntries(template.keys.map((k, i) => [k, decodeURIComponent(m[i + 1]!)]));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
