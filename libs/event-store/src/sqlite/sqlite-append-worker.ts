/**
 * The SqliteEventStore's writer thread: owns the one writing connection, so index updates and fsyncs use the
 * second core while the main thread validates. Appends that queued up while it was writing are committed
 * together in the order they were sent.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { WrongExpectedRevisionError } from '../event-store.port.js';
import { toThreadError } from '../worker-requests.js';
import { type AppendOutcome, SqliteAppender } from './sqlite-appender.js';
import { openSqliteConnection } from './sqlite-connection.js';
import type { WriterFailure, WriterReply, WriterRequest } from './sqlite-writer-thread.js';

const port = parentPort!;
const db = openSqliteConnection((workerData as { file: string }).file, 'writer');
const appender = new SqliteAppender(db);

port.on('message', (first: WriterRequest) => {
  const appends: Array<Extract<WriterRequest, { kind: 'append' }>> = [];
  let closing = false;
  for (let request: WriterRequest | undefined = first; request; request = receiveMessageOnPort(port)?.message) {
    if (request.kind === 'close') {
      closing = true;
      break;
    }
    appends.push(request);
  }
  if (appends.length > 0) reply(appends.map(({ id }) => id), appender.append(appends));
  if (closing) {
    db.close();
    port.close();
  }
});

function reply(ids: readonly number[], outcomes: readonly AppendOutcome[]): void {
  outcomes.forEach((outcome, i) => {
    const message: WriterReply = outcome.ok
      ? { id: ids[i]!, result: outcome.result }
      : { id: ids[i]!, failure: describeFailure(outcome.error) };
    port.postMessage(message);
  });
}

function describeFailure(error: unknown): WriterFailure {
  if (error instanceof WrongExpectedRevisionError) {
    return { kind: 'wrong-revision', stream: error.stream, expected: error.expected, actual: error.actual };
  }
  return { kind: 'error', ...toThreadError(error) };
}
