/** The recorder thread (sis-change-recorder-thread.ts): its own store connection, batches recorded in arrival order. */
import { parentPort, workerData } from 'node:worker_threads';
import { openEventStore, toThreadError } from '@provsync/event-store';
import { timingAppends } from '../observability/store-append-timing.js';
import { EventStoreSisChangeRecorder } from './event-store-sis-change-recorder.js';
import type { RecorderReply, RecorderRequest } from './sis-change-recorder-thread.js';
import { packOutcomes, unpackInputs } from './sis-input-packing.js';

const port = parentPort!;
/** Appends timed since the last reply: the main thread's metrics hear of them with the next one. */
let appends: Array<[seconds: number, ok: boolean]> = [];
const store = timingAppends(await openEventStore((workerData as { storeUrl: string }).storeUrl), (seconds, ok) => appends.push([seconds, ok]));
const recorder = new EventStoreSisChangeRecorder(store);
const inFlight = new Set<Promise<void>>();

port.on('message', (request: RecorderRequest) => {
  if (request.kind === 'close') {
    void Promise.all(inFlight).then(async () => {
      await store.close();
      port.close();
    });
    return;
  }
  const recording = recorder
    .record(unpackInputs(request.inputs))
    .then(
      (outcomes): RecorderReply => ({ id: request.id, outcomes: packOutcomes(outcomes) }),
      (error: unknown): RecorderReply => ({ id: request.id, failure: toThreadError(error) }),
    )
    .then((reply) => {
      inFlight.delete(recording);
      reply.appends = appends;
      appends = [];
      port.postMessage(reply);
    });
  inFlight.add(recording);
});
