import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RecordSisChanges } from './record-sis-changes.command.js';
import type { RecordOutcome, SisChangeRecorder } from './sis-input.js';

export const SIS_CHANGE_RECORDER = Symbol('SisChangeRecorder');

@CommandHandler(RecordSisChanges)
export class RecordSisChangesHandler implements ICommandHandler<RecordSisChanges, RecordOutcome[]> {
  constructor(@Inject(SIS_CHANGE_RECORDER) private readonly recorder: SisChangeRecorder) {}

  execute(command: RecordSisChanges): Promise<RecordOutcome[]> {
    return this.recorder.record(command.inputs);
  }
}
