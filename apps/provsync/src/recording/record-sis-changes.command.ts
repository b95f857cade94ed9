import { Command } from '@nestjs/cqrs';
import type { RecordOutcome, SisInput } from './sis-input.js';

/** Record these SIS inputs (from Kafka, a file or HTTP) in the event store. */
export class RecordSisChanges extends Command<RecordOutcome[]> {
  constructor(readonly inputs: readonly SisInput[]) {
    super();
  }
}
