import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { type AppendResult, type ExpectedRevision, WrongExpectedRevisionError } from '../event-store.port.js';
import type { SerializedWrite } from './sqlite-appender.js';
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
  | { kind: 'error'; name: string; message: string; code: string | undefined };

interface Pending {
  resolve(result: AppendResult): void;
  reject(error: Error): void;
}

/**
 * The main thread's handle on the writer thread (sqlite-append-worker.ts). It keeps the process alive only
 * while an append is in flight, so a caller that never closes the store does not hang at exit.
 */
export class SqliteWriterThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private broken: Error | undefined;
  private closing = false;
  private readonly exited: Promise<unknown>;

  constructor(file: string) {
    this.worker = new Worker(new URL('./sqlite-append-worker.js', import.meta.url), { workerData: { file } });
    this.worker.unref();
    this.exited = once(this.worker, 'exit');
    this.worker.on('message', (reply: WriterReply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', () => this.fail(new Error('the SQLite writer thread has stopped')));
  }

  append(writes: SerializedWrite[], recordedAt: string): Promise<AppendResult> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.closing) return Promise.reject(new Error('the event store is closed'));
    const id = this.nextId++;
    const done = new Promise<AppendResult>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    if (this.pending.size === 1) this.worker.ref();
    this.worker.postMessage({ kind: 'append', id, writes, recordedAt } satisfies WriterRequest);
    return done;
  }

  /** Lets the appends already sent finish, then closes the writer's connection and ends the thread. */
  async close(): Promise<void> {
    if (!this.broken && !this.closing) {
      this.closing = true;
      this.worker.ref();
      this.worker.postMessage({ kind: 'close' } satisfies WriterRequest);
    }
    await this.exited;
  }

  private settle(reply: WriterReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0 && !this.closing) this.worker.unref();
    if (reply.failure === undefined) pending.resolve(reply.result);
    else pending.reject(toError(reply.failure));
  }

  private fail(error: Error): void {
    this.broken ??= error;
    for (const pending of this.pending.values()) pending.reject(this.broken);
    this.pending.clear();
  }
}

function toError(failure: WriterFailure): Error {
  if (failure.kind === 'wrong-revision') return new WrongExpectedRevisionError(failure.stream, failure.expected, failure.actual);
  const error = new Error(failure.message);
  error.name = failure.name;
  if (failure.code !== undefined) Object.assign(error, { code: failure.code });
  return error;
}
