import type { RowChange, RowReader } from '@provsync/read-models';

const COLLECTION = 'snapshot';
const META = 'meta';

/** What a snapshot row says of itself: where it was taken, by which code, and in how many parts. */
export interface SnapshotMeta {
  position: string;
  fingerprint: string;
  parts: number;
}

/**
 * A model's in-memory state as rows of its own generation, written in the same commit as the rows and position it
 * goes with: a restart reads it back and applies only what came after `position`, not the whole history. The
 * parts are byte rows, written as they are (a model's buffers are not copied to be stored).
 */
export function snapshotRows(parts: readonly Uint8Array[], position: bigint, fingerprint: string, partsBefore: number): RowChange[] {
  const rows: RowChange[] = parts.map((bytes, i) => ({ collection: COLLECTION, key: partKey(i), value: bytes }));
  for (let i = parts.length; i < partsBefore; i++) rows.push({ collection: COLLECTION, key: partKey(i) });
  const meta: SnapshotMeta = { position: position.toString(), fingerprint, parts: parts.length };
  rows.push({ collection: COLLECTION, key: META, value: meta });
  return rows;
}

export async function readSnapshotMeta(rows: RowReader): Promise<SnapshotMeta | undefined> {
  return (await rows.peek(COLLECTION, META)) as SnapshotMeta | undefined;
}

export async function readSnapshotParts(rows: RowReader, meta: SnapshotMeta): Promise<Buffer[]> {
  const parts: Buffer[] = [];
  for (let i = 0; i < meta.parts; i++) {
    const bytes = await rows.peek(COLLECTION, partKey(i));
    if (!Buffer.isBuffer(bytes)) throw new Error(`read model snapshot: part ${i} of ${meta.parts} is missing`);
    parts.push(bytes);
  }
  return parts;
}

const partKey = (i: number) => `part:${String(i).padStart(6, '0')}`;
