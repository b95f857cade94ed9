import { Worker } from 'node:worker_threads';
import type { RecordOutcome, SisChangeRecorder, SisInput } from './sis-input.js';
import { packInputs, type PackedInputs, type PackedOutcomes, unpackOutcomes } from './sis-input-packing.js';
// Nothing imports the worker's module at run time: this keeps it in every build that compiles this file.
import type {} from './sis-change-recorder.worker.js';

export type RecorderRequest = { kind: 'record'; id: number; inputs: PackedInputs } | { kind: 'close' };

export type RecorderReply =
  | { id: number; outcomes: PackedOutcomes; failure?: undefined }
  | { id: number; failure: { name: string; message: string; code: string | undefined } };

/**
 * A batch's parsed objects live until its append is handed to the store; with V8's default young generation
 * many outlived a scavenge and were copied into the old one. A larger one measured ~20 % more events/s.
 */
const YOUNG_GENERATION_MB = 96;

interface Pending {
  resolve(outcomes: RecordOutcome[]): void;
  reject(error: Error): void;
}

/**
 * The SIS change recorder on a thread of its own, with its own connection to the event store: validating,
 * deciding and serialising cost far more CPU than reading Kafka, so the consumer's thread (heartbeats, fetches)
 * stays free and the second core does the recording. Same contract as EventStoreSisChangeRecorder, whose
 * de-duplication and revision checks live in the store, so it may run beside other recorders.
 */
export class SisChangeRecorderThread implements SisChangeRecorder {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private broken: Error | undefined;
  private closing = false;
  private readonly exited: Promise<unknown>;

  constructor(storeUrl: string) {
    this.worker = new Worker(new URL('./sis-change-recorder.worker.js', import.meta.url), {
      workerData: { storeUrl },
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    this.worker.unref();
    this.exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.on('message', (reply: RecorderReply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', () => this.fail(new Error('the SIS change recorder thread has stopped')));
  }

  record(inputs: readonly SisInput[]): Promise<RecordOutcome[]> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.closing) return Promise.reject(new Error('the SIS change recorder is closed'));
    const id = this.nextId++;
    const done = new Promise<RecordOutcome[]>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    if (this.pending.size === 1) this.worker.ref();
    const packed = packInputs(inputs);
    this.worker.postMessage({ kind: 'record', id, inputs: packed } satisfies RecorderRequest, [packed.bytes, packed.ends.buffer]);
    return done;
  }

  /** Lets the batches already sent finish, then closes the thread's store and ends the thread. */
  async close(): Promise<void> {
    if (!this.broken && !this.closing) {
      this.closing = true;
      this.worker.ref();
      this.worker.postMessage({ kind: 'close' } satisfies RecorderRequest);
    }
    await this.exited;
  }

  private settle(reply: RecorderReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0 && !this.closing) this.worker.unref();
    if (reply.failure === undefined) pending.resolve(unpackOutcomes(reply.outcomes));
    else pending.reject(Object.assign(new Error(reply.failure.message), { name: reply.failure.name, code: reply.failure.code }));
  }

  private fail(error: Error): void {
    this.broken ??= error;
    for (const pending of this.pending.values()) pending.reject(this.broken);
    this.pending.clear();
  }
}
