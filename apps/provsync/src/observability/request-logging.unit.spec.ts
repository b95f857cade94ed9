import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createLogger } from './logger.js';
import { requestLogging } from './request-logging.js';

describe('requestLogging', () => {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger({ format: 'json', level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const middleware = requestLogging(log);
  // A stand-in for Express: sets the matched route's template, as Express does, then answers.
  const server = createServer((request, response) =>
    middleware(request as IncomingMessage & { route?: { path?: unknown } }, response, () => {
      const path = request.url!.split('?')[0]!;
      if (path.startsWith('/persons/')) (request as { route?: unknown }).route = { path: '/persons/:id' };
      if (path === '/metrics') (request as { route?: unknown }).route = { path: '/metrics' };
      log.info('handling');
      if (path === '/slow') return; // never answered: the client gives up
      response.statusCode = path.startsWith('/nowhere') ? 404 : 200;
      response.end('ok');
    }),
  );
  let base: string;
  before(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  const settled = () => new Promise((resolve) => setTimeout(resolve, 50));

  it('logs one line per request with its route template, never the path, and a request id on every line it caused', async () => {
    lines.length = 0;
    const answer = await fetch(`${base}/persons/19121212-1212?x=1`, { headers: { 'x-request-id': '19121212-1212' } });
    await settled();
    const reqId = answer.headers.get('x-request-id');
    assert.match(reqId!, /^[0-9a-f-]{36}$/, 'a personnummer is not taken as a request id');
    assert.deepEqual(lines.map((l) => [l['msg'], l['reqId'], l['route'] ?? null]), [['handling', reqId, null], ['request answered', reqId, '/persons/:id']]);
    assert.ok(!JSON.stringify(lines).includes('19121212'));
  });

  it("keeps a caller's hex request id, logs an unmatched route without its path, and probes at debug", async () => {
    lines.length = 0;
    await fetch(`${base}/nowhere/secret`, { headers: { 'x-request-id': 'abcdef0123456789abcdef' } });
    await fetch(`${base}/metrics`);
    await settled();
    const answered = lines.filter((l) => l['msg'] === 'request answered');
    assert.deepEqual(answered.map((l) => [l['reqId'] === 'abcdef0123456789abcdef', l['route'], l['status'], l['level']]), [
      [true, null, 404, 'info'],
      [false, '/metrics', 200, 'debug'],
    ]);
    assert.ok(!JSON.stringify(lines).includes('secret'));
  });

  it('logs a request the caller gave up on as one warning line', async () => {
    lines.length = 0;
    const request = httpRequest(`${base}/slow`);
    request.on('error', () => undefined);
    request.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    request.destroy();
    await settled();
    const ended = lines.filter((l) => l['msg'] === 'request ended before its answer was sent');
    assert.equal(ended.length, 1);
    assert.equal(ended[0]!['level'], 'warn');
  });
});
