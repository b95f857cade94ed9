/** What this process knows of one stream: its last revision and the ids of its events. */
export interface StreamIds {
  last: number | 'no_stream';
  ids: Set<string>;
}

const MAX_STREAMS = 10_000;

/**
 * The event ids of recently used streams, so that checking an append's keys reads only the part of a stream
 * this process has not seen yet (streams are append-only, so what was read stays true). Least recently used
 * streams are forgotten past MAX_STREAMS and read again in full when next needed.
 */
export class KnownEventIds {
  private readonly streams = new Map<string, StreamIds>();

  async refresh(stream: string, readFrom: (revision: number) => Promise<Array<{ revision: number; id: string }>>): Promise<StreamIds> {
    let known = this.streams.get(stream) ?? { last: 'no_stream', ids: new Set<string>() };
    this.streams.delete(stream);
    const unseen = await readFrom(known.last === 'no_stream' ? 0 : known.last + 1);
    for (const { revision, id } of unseen) {
      known.ids.add(id);
      known.last = revision;
    }
    this.remember(stream, known);
    return known;
  }

  /** After this process appended `count` events ending at `last`; a gap (another writer) means re-reading later. */
  appended(stream: string, last: number, count: number, ids: readonly string[]): void {
    const known = this.streams.get(stream);
    if (!known) return;
    const before = known.last === 'no_stream' ? -1 : known.last;
    if (before + count !== last) {
      this.streams.delete(stream);
      return;
    }
    for (const id of ids) known.ids.add(id);
    known.last = last;
  }

  private remember(stream: string, known: StreamIds): void {
    this.streams.set(stream, known);
    if (this.streams.size > MAX_STREAMS) this.streams.delete(this.streams.keys().next().value!);
  }
}
