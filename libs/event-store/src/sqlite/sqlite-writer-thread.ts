import { Worker } from 'node:worker_threads';
import { type AppendResult, type ExpectedRevision, WrongExpectedRevisionError } from '../event-store.port.js';
import type { SerializedWrite } from './sqlite-appender.js';
import { fromThreadError, type ThreadError, WorkerRequests } from '../worker-requests.js';
// Nothing imports the worker's module at run time: this keeps it in every build that compiles this file.
import type {} from './sqlite-append-worker.js';

export type WriterRequest =
  | { kind: 'append'; id: number; writes: SerializedWrite[]; recordedAt: string }
  | { kind: 'close' };

export type WriterReply =
  | { id: number; result: AppendResult; failure?: undefined }
  | { id: number; failure: WriterFailure };

export type WriterFailure =
  | { kind: 'wrong-revision'; stream: string; expected: ExpectedRevision; actual: number | 'no_stream' }
  | ({ kind: 'error' } & ThreadError);

/** The main thread's handle on the writer thread (sqlite-append-worker.ts). */
export class SqliteWriterThread {
  private readonly requests: WorkerRequests<WriterReply>;

  constructor(file: string) {
    const worker = new Worker(new URL('./sqlite-append-worker.js', import.meta.url), { workerData: { file } });
    this.requests = new WorkerRequests(worker, 'the SQLite writer thread');
  }

  /** Not async: the writes are posted before it returns and not kept reachable while the writer works. */
  append(writes: SerializedWrite[], recordedAt: string): Promise<AppendResult> {
    return this.requests.send((id) => ({ kind: 'append', id, writes, recordedAt }) satisfies WriterRequest).then(resultOf);
  }

  /** Lets the appends already sent finish, then closes the writer's connection and ends the thread. */
  close(): Promise<void> {
    return this.requests.close({ kind: 'close' } satisfies WriterRequest);
  }
}

function resultOf(reply: WriterReply): AppendResult {
  if (reply.failure !== undefined) throw toError(reply.failure);
  return reply.result;
}

function toError(failure: WriterFailure): Error {
  if (failure.kind === 'wrong-revision') return new WrongExpectedRevisionError(failure.stream, failure.expected, failure.actual);
  return fromThreadError(failure);
}
