import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '../config/config.js';
import { createLogger, requestContext } from './logger.js';
import { PinoNestLogger } from './nest-logger.js';

function capture(level: 'info' | 'debug' = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger({ format: 'json', level }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

describe('the serve logger', () => {
  it('writes one JSON object a line with level as a word, an ISO time and msg', () => {
    const { log, lines } = capture();
    log.info({ batches: 3 }, 'batch stored');
    log.debug('not at info');
    assert.equal(lines.length, 1);
    const [line] = lines;
    assert.deepEqual([line!['level'], line!['msg'], line!['batches']], ['info', 'batch stored', 3]);
    assert.equal(new Date(String(line!['time'])).toISOString(), line!['time']);
  });

  it("redacts personal-data fields by name wherever they sit, without touching the caller's objects", () => {
    const { log, lines } = capture();
    const person = { givenName: 'Tova', emails: [{ value: 'tova@skola.example' }] };
    const fields = {
      civicNo: { value: '201001011234' }, person, batch: { data: [{ familyName: 'Ek' }] }, deep: { a: { b: { c: { email: 'x@y.example' } } } }, count: 2,
    };
    log.warn(fields, 'careless call');
    const text = JSON.stringify(lines[0]);
    for (const value of ['201001011234', 'Tova', 'tova@skola.example', 'Ek', 'x@y.example']) assert.ok(!text.includes(value), value);
    assert.equal(lines[0]!['count'], 2);
    assert.deepEqual(lines[0]!['person'], { givenName: '[redacted]', emails: '[redacted]' });
    assert.equal(person.givenName, 'Tova');
  });

  it('adds the request id to every line written while a request is handled', async () => {
    const { log, lines } = capture();
    await requestContext.run({ reqId: 'req-1' }, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      log.info('inside');
    });
    log.info('outside');
    assert.deepEqual(lines.map((l) => l['reqId']), ['req-1', undefined]);
  });

  it("takes Nest's calls: the context as a field, an error's stack apart from its message", () => {
    const { log, lines } = capture('debug');
    const nest = new PinoNestLogger(log);
    nest.log('Mapped {/metrics, GET} route', 'RouterExplorer');
    const stack = new Error('boom').stack!;
    nest.error('handler failed', stack, 'ExceptionsHandler');
    nest.error('no context', stack);
    nest.error(new Error('thrown'), 'SyncLoop');
    nest.verbose('fine detail', 'X');
    assert.deepEqual(
      lines.map((l) => [l['level'], l['context'], l['msg'], typeof l['stack'] === 'string' || typeof l['err'] === 'object']),
      [
        ['info', 'RouterExplorer', 'Mapped {/metrics, GET} route', false],
        ['error', 'ExceptionsHandler', 'handler failed', true],
        ['error', undefined, 'no context', true],
        ['error', 'SyncLoop', 'thrown', true],
      ],
    );
  });

  it('writes readable lines, not JSON, with LOG_FORMAT=pretty', () => {
    const logger = fileURLToPath(new URL('./logger.js', import.meta.url));
    const script = `const { createLogger } = await import(${JSON.stringify(logger)}); createLogger({ format: 'pretty', level: 'info' }).info({ context: 'SyncLoop' }, 'leading now');`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /INFO.*leading now/);
    assert.throws(() => JSON.parse(run.stdout.split('\n')[0]!));
  });
});

describe('LOG_FORMAT and LOG_LEVEL', () => {
  it('default to json and info, and refuse other values naming the variable', () => {
    assert.deepEqual(loadConfig({}).log, { format: 'json', level: 'info' });
    assert.deepEqual(loadConfig({ LOG_FORMAT: 'pretty', LOG_LEVEL: 'debug' }).log, { format: 'pretty', level: 'debug' });
    assert.throws(() => loadConfig({ LOG_FORMAT: 'xml' }), (e: unknown) => e instanceof ConfigError && e.message === 'LOG_FORMAT must be json or pretty');
    assert.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), (e: unknown) => e instanceof ConfigError && /^LOG_LEVEL must be one of fatal, error/.test(e.message));
  });
});
