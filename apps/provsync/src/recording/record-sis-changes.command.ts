import { Command, type CommandBus } from '@nestjs/cqrs';
import type { RecordOutcome, SisChangeRecorder, SisInput } from './sis-input.js';

/** Record these SIS inputs (from Kafka, a file or HTTP) in the event store. */
export class RecordSisChanges extends Command<RecordOutcome[]> {
  constructor(readonly inputs: readonly SisInput[]) {
    super();
  }
}

/** A recorder that sends each batch through the command bus, for callers that take a SisChangeRecorder (Kafka). */
export function recordThroughCommandBus(bus: CommandBus): SisChangeRecorder {
  return { record: (inputs) => bus.execute(new RecordSisChanges(inputs)) };
}
