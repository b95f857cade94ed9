import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { metrics } from '../observability/metrics.js';
import { RecordSisChanges } from './record-sis-changes.command.js';
import type { RecordOutcome, SisChangeRecorder } from './sis-input.js';

/** Records on the calling thread: HTTP and file input. */
export const SIS_CHANGE_RECORDER = Symbol('SisChangeRecorder');
/** When bound (serve and the ingestion process with Kafka): the recorder thread, which takes Kafka's batches. */
export const SIS_CHANGE_RECORDER_THREAD = Symbol('SisChangeRecorderThread');

/**
 * The one way SIS changes are recorded, whatever they came through. A Kafka batch goes to the recorder
 * thread when there is one: validating, deciding and serialising a flood costs far more CPU than reading
 * Kafka, and the thread that fetches, heartbeats, answers HTTP and runs the sync must stay free.
 */
@CommandHandler(RecordSisChanges)
export class RecordSisChangesHandler implements ICommandHandler<RecordSisChanges, RecordOutcome[]> {
  constructor(
    @Inject(SIS_CHANGE_RECORDER) private readonly recorder: SisChangeRecorder,
    @Optional() @Inject(SIS_CHANGE_RECORDER_THREAD) private readonly thread?: SisChangeRecorder,
  ) {}

  /** Not async: the batch is handed on before this returns, and the command is not kept while it is recorded. */
  execute(command: RecordSisChanges): Promise<RecordOutcome[]> {
    const { inputs } = command;
    const flood = this.thread !== undefined && inputs.length > 0 && inputs.every((input) => input.channel === 'kafka');
    const channel = inputs[0]?.channel ?? 'http';
    return (flood ? this.thread! : this.recorder).record(inputs).then((outcomes) => {
      metrics.sisInputsRecorded(channel, outcomes);
      return outcomes;
    });
  }
}
