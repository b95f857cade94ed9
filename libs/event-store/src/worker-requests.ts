import type { Transferable, Worker } from 'node:worker_threads';

interface Pending<Reply> {
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

/**
 * Requests to a worker thread, each answered by one reply carrying its id. The worker keeps the process alive
 * only while a request is open, so an owner that never closes it does not hang the process at exit. Should the
 * worker fail or stop, every open request and every later one is rejected with why.
 */
export class WorkerRequests<Reply extends { id: number }> {
  private readonly pending = new Map<number, Pending<Reply>>();
  private nextId = 0;
  private broken: Error | undefined;
  private closing = false;
  private readonly exited: Promise<unknown>;

  /** `name` says what the worker is, for errors: "the SQLite writer thread". */
  constructor(private readonly worker: Worker, private readonly name: string) {
    worker.unref();
    this.exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.on('message', (reply: Reply) => this.settle(reply));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', () => this.fail(new Error(`${name} has stopped`)));
  }

  /** Posts the request `build` makes with its id; resolves with the worker's reply to it. */
  send(build: (id: number) => unknown, transfer?: readonly Transferable[]): Promise<Reply> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.closing) return Promise.reject(new Error(`${this.name} is closed`));
    const id = this.nextId++;
    const reply = new Promise<Reply>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    if (this.pending.size === 1) this.worker.ref();
    this.worker.postMessage(build(id), transfer);
    return reply;
  }

  /** Posts `closing` after the requests already sent, and resolves once the worker has exited. */
  async close(closing: unknown): Promise<void> {
    if (!this.broken && !this.closing) {
      this.closing = true;
      this.worker.ref();
      this.worker.postMessage(closing);
    }
    await this.exited;
  }

  private settle(reply: Reply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0 && !this.closing) this.worker.unref();
    pending.resolve(reply);
  }

  private fail(error: Error): void {
    this.broken ??= error;
    for (const pending of this.pending.values()) pending.reject(this.broken);
    this.pending.clear();
  }
}

/** An error as it crosses between threads: what a caller can act on, without the stack or its class. */
export interface ThreadError {
  name: string;
  message: string;
  code: string | undefined;
}

export function toThreadError(error: unknown): ThreadError {
  const { name, message, code } = error as { name?: string; message?: string; code?: unknown };
  return { name: name ?? 'Error', message: message ?? String(error), code: typeof code === 'string' ? code : undefined };
}

export function fromThreadError({ name, message, code }: ThreadError): Error {
  const error = new Error(message);
  error.name = name;
  if (code !== undefined) Object.assign(error, { code });
  return error;
}
