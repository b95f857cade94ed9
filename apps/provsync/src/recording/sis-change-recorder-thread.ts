import { Worker } from 'node:worker_threads';
import { fromThreadError, type ThreadError, WorkerRequests } from '@provsync/event-store';
import type { RecordOutcome, SisChangeRecorder, SisInput } from './sis-input.js';
import { packInputs, type PackedInputs, type PackedOutcomes, unpackOutcomes } from './sis-input-packing.js';
// Nothing imports the worker's module at run time: this keeps it in every build that compiles this file.
import type {} from './sis-change-recorder.worker.js';

export type RecorderRequest = { kind: 'record'; id: number; inputs: PackedInputs } | { kind: 'close' };

/** `appends`: the thread's store appends (seconds, succeeded) since its last reply. */
export type RecorderReply = { appends?: Array<[seconds: number, ok: boolean]> } & (
  | { id: number; outcomes: PackedOutcomes; failure?: undefined }
  | { id: number; failure: ThreadError }
);

/**
 * A batch's parsed objects live until its append is handed to the store; with V8's default young generation
 * many outlived a scavenge and were copied into the old one. A larger one measured ~20 % more events/s.
 */
const YOUNG_GENERATION_MB = 96;

/**
 * The SIS change recorder on a thread of its own, with its own connection to the event store: validating,
 * deciding and serialising cost far more CPU than reading Kafka, so the consumer's thread (heartbeats, fetches)
 * stays free and the second core does the recording. Same contract as EventStoreSisChangeRecorder, whose
 * de-duplication and revision checks live in the store, so it may run beside other recorders.
 */
export class SisChangeRecorderThread implements SisChangeRecorder {
  private readonly requests: WorkerRequests<RecorderReply>;

  /** `onAppend` hears of each store append the thread made: how long it took and whether it succeeded. */
  constructor(storeUrl: string, private readonly onAppend?: (seconds: number, ok: boolean) => void) {
    const worker = new Worker(new URL('./sis-change-recorder.worker.js', import.meta.url), {
      workerData: { storeUrl },
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    this.requests = new WorkerRequests(worker, 'the SIS change recorder thread');
  }

  /** Not async: the batch is posted before it returns and not kept reachable while the thread records it. */
  record(inputs: readonly SisInput[]): Promise<RecordOutcome[]> {
    const packed = packInputs(inputs);
    return this.requests
      .send((id) => ({ kind: 'record', id, inputs: packed }) satisfies RecorderRequest, [packed.bytes, packed.ends.buffer])
      .then((reply) => {
        for (const [seconds, ok] of reply.appends ?? []) this.onAppend?.(seconds, ok);
        return outcomesOf(reply);
      });
  }

  /** Lets the batches already sent finish, then closes the thread's store and ends the thread. Safe to call twice. */
  close(): Promise<void> {
    return this.requests.close({ kind: 'close' } satisfies RecorderRequest);
  }

  /** Nest calls this when the application that provides the thread closes. */
  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}

function outcomesOf(reply: RecorderReply): RecordOutcome[] {
  if (reply.failure !== undefined) throw fromThreadError(reply.failure);
  return unpackOutcomes(reply.outcomes);
}
