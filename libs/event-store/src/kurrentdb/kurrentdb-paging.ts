import { decodePosition, encodePosition, type LogPosition } from './kurrentdb-mapping.js';

/** Where a server read starts: the start of $all, or a record's (commit, prepare). */
export type ReadStart = 'start' | LogPosition;

/**
 * Where a read or subscription after `after` starts on the server: the start of the commit `after` belongs to.
 * That is a real record position even when `after` is not (a caller may pass an event's position minus one),
 * and starting a little early is safe, as every read skips what is at or before `after`.
 */
export function startOf(after: bigint): ReadStart {
  if (after === 0n) return 'start';
  const { commit } = decodePosition(after);
  return { commit, prepare: commit };
}

/**
 * One page of up to `limit` records after `after` that `keep` wants, from a server read of at most `maxCount`
 * records from `start` (which may or may not include the record at `start`). A page thinned by `keep` is topped
 * up by reading on; the first read starts at the beginning of `after`'s commit, each further one at the last
 * record read (a real position), so every round moves on, even past a commit of many records already seen.
 * A short page means the end of the log.
 */
export async function readPage<R extends { position?: LogPosition }>(
  read: (start: ReadStart, maxCount: number) => AsyncIterable<R>,
  after: bigint,
  limit: number,
  keep: (record: R) => boolean,
): Promise<R[]> {
  const page: R[] = [];
  let from = after;
  let start = startOf(after);
  // Records asked for beyond those wanted: one, as a read may include the record it starts at; doubled after a
  // round that found only records already seen (the rest of a large commit).
  let extra = 1;
  while (page.length < limit) {
    const asked = limit - page.length + extra;
    let returned = 0;
    let movedOn = false;
    for await (const record of read(start, asked)) {
      returned++;
      if (record.position) start = record.position;
      const position = encodePosition(record.position);
      if (position <= from) continue;
      movedOn = true;
      from = position;
      if (keep(record)) page.push(record);
      if (page.length === limit) break;
    }
    if (returned < asked) break;
    extra = movedOn ? 1 : extra * 2;
  }
  return page;
}
