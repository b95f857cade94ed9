/**
 * The read-model storage port: where persisted read models keep their rows and the event-store position they
 * have applied, in the same transaction, so a restart resumes where it stopped and applying a page again is
 * harmless. One implementation per kind of store database (SQLite, PostgreSQL), both passing
 * read-model-storage.contract.ts.
 *
 * A model's rows live in a *generation*: queries read the active one; `provsync replay` builds a fresh one beside
 * it while ingestion goes on, and `promote` makes it the active one once it has caught up.
 */

/** A generation of one model, e.g. `audit#2`: its rows and position are kept apart from every other generation. */
export type Generation = string;

/**
 * One row to write (`value` present) or delete (`value` undefined). A value is kept as JSON, except a byte array
 * (Uint8Array), kept as bytes and read back as a Buffer: large binary state (a model's snapshot) without a text copy.
 */
export interface RowChange {
  collection: string;
  key: string;
  value?: unknown;
  /**
   * Lookup terms the row can be found by (`findByTerm`): they replace the row's previous terms. Terms are exact
   * strings (e.g. `sis:<id>`, `person:<id>`); a row without terms is found by its key only.
   */
  terms?: readonly string[];
}

export interface StoredRow {
  key: string;
  value: unknown;
}

export class StalePositionError extends Error {
  readonly code = 'READ_MODEL_STALE_POSITION';
  constructor(
    readonly generation: Generation,
    readonly expected: bigint,
    readonly actual: bigint,
  ) {
    super(`read model ${generation}: expected to be at position ${expected}, but it is at ${actual} (another projector wrote it)`);
  }
}

export interface ReadModelStorage {
  /** The generation answering queries for `model`; an empty one at position 0 the first time. */
  activeGeneration(model: string): Promise<Generation>;
  /**
   * A generation to rebuild `model` into, beside the active one: the one an interrupted rebuild left (it resumes
   * at its own position), else a fresh, empty one.
   */
  rebuildGeneration(model: string): Promise<Generation>;
  /** Makes `generation` the active one of `model` and drops the rows of the one it replaces. */
  promote(model: string, generation: Generation): Promise<void>;
  /** The store position a generation has applied (0n: nothing yet). */
  position(generation: Generation): Promise<bigint>;
  /**
   * Writes `changes` and moves the generation from `expected` to `next`, in one transaction. Throws
   * StalePositionError, writing nothing, when the generation is not at `expected` (another projector was first).
   */
  commit(generation: Generation, expected: bigint, next: bigint, changes: readonly RowChange[]): Promise<void>;
  get(generation: Generation, collection: string, key: string): Promise<unknown | undefined>;
  /** The rows of `collection` carrying `term`, in key order. */
  findByTerm(generation: Generation, collection: string, term: string): Promise<StoredRow[]>;
  /** Number of rows in a collection. */
  count(generation: Generation, collection: string): Promise<number>;
  close(): Promise<void>;
}

export const READ_MODEL_STORAGE = Symbol('ReadModelStorage');

/** `audit#3` → 3. */
export function generationNumber(generation: Generation): number {
  return Number(generation.slice(generation.lastIndexOf('#') + 1));
}

export const generationOf = (model: string, n: number): Generation => `${model}#${n}`;
