/** How the last batch taken on a partition ended. */
type LaneEnd = { committed: true } | { committed: false; uncommittedFrom: bigint };

export type Turn = { go: true } | { go: false; rewindTo: bigint };

export interface Ticket {
  /** When the batch may be stored: once the batch before it on its partition has ended. */
  turn: Promise<Turn>;
  /** The batch was stored and committed (true), or left uncommitted from its first offset (false). */
  done(committed: boolean): void;
  /** The batch was not stored: its partition is uncommitted from `from` on. */
  skipped(from: bigint): void;
}

/**
 * Keeps each partition's batches in offset order while the source fetches ahead: one batch per partition is
 * stored at a time, and a batch may be stored only once the one before it was committed. When one was not
 * (the store failed while the partition was being reassigned, say), the batches after it may not be either,
 * or their commit would step over it: they wait for the source to deliver again from its first offset.
 */
export class PartitionLanes {
  private readonly last = new Map<string, { end: Promise<LaneEnd> }>();
  private readonly open = new Set<Promise<LaneEnd>>();

  enter(partition: string, from: bigint): Ticket {
    const before = this.last.get(partition)?.end ?? Promise.resolve<LaneEnd>({ committed: true });
    let finish!: (end: LaneEnd) => void;
    const end = new Promise<LaneEnd>((resolve) => (finish = resolve));
    this.last.set(partition, { end });
    this.open.add(end);
    void end.then(() => this.open.delete(end));
    const turn = before.then((previous): Turn =>
      previous.committed || from <= previous.uncommittedFrom ? { go: true } : { go: false, rewindTo: previous.uncommittedFrom },
    );
    return {
      turn,
      done: (committed) => finish(committed ? { committed: true } : { committed: false, uncommittedFrom: from }),
      skipped: (uncommittedFrom) => finish({ committed: false, uncommittedFrom }),
    };
  }

  /** Resolves once every batch taken so far (and any taken meanwhile) has ended. */
  async drain(): Promise<void> {
    while (this.open.size > 0) await Promise.all(this.open);
  }
}
