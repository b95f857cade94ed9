import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { requestContext } from './logger.js';

/**
 * A caller's own request id is kept when it looks like one (hex and dashes, as proxies make them); the length
 * floor keeps a personnummer (at most 13 characters) from passing as an id into the logs.
 */
const CALLER_REQUEST_ID = /^[0-9A-Fa-f-]{16,64}$/;

/** Routes asked every few seconds by probes and Prometheus: a line each only at debug level. */
const ROUTINE = /^\/(health\/|metrics$)/;

type RoutedRequest = IncomingMessage & { route?: { path?: unknown } };

/**
 * Express middleware: gives each request an id (`x-request-id` in and out), runs the request in its context (so
 * every line it causes carries `reqId`) and writes one line when the answer is sent: method, route template,
 * status and duration (or that the caller went away first). The route is the template (`/rejected-inputs`, never a path with ids or a query), and
 * a request no route matched is logged without its path.
 */
export function requestLogging(logger: Logger) {
  return (request: RoutedRequest, response: ServerResponse, next: () => void): void => {
    const offered = request.headers['x-request-id'];
    const reqId = typeof offered === 'string' && CALLER_REQUEST_ID.test(offered) ? offered : randomUUID();
    response.setHeader('x-request-id', reqId);
    const started = process.hrtime.bigint();
    response.once('close', () => {
      const route = typeof request.route?.path === 'string' ? request.route.path : null;
      const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
      const fields = { reqId, method: request.method, route, status: response.statusCode, ms };
      if (!response.writableFinished) return logger.warn(fields, 'request ended before its answer was sent');
      const level = response.statusCode >= 500 ? 'error' : route !== null && ROUTINE.test(route) ? 'debug' : 'info';
      logger[level](fields, 'request answered');
    });
    requestContext.run({ reqId }, next);
  };
}
