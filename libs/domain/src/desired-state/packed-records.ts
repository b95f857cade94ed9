import { packJson, unpackJson } from './packed-json.js';
import { TextArena, type TextArenaState } from './text-arena.js';

/** The records as plain data: ids to arena handles (or a text too long for the arena), and the arena. */
export interface PackedRecordsState {
  texts: Map<string, number | string>;
  arena: TextArenaState;
}

/**
 * SIS objects by id, each kept as its JSON text (common keys packed, see packJson) and parsed again when
 * read: at 165,000 persons the object graphs were ~750 bytes a person, the packed text is ~300, and a
 * string is far less work for the GC than a dozen small objects. The objects stored or read lately stay
 * parsed (at most `recentLimit`), so a batch of changes evaluated right after it was stored is not parsed twice.
 *
 * The texts are kept in a TextArena (outside the JS heap); one too long for it stays a string.
 * The objects are plain JSON data (as recorded); readers must not change them.
 */
export class PackedRecords<T extends object> {
  private texts = new Map<string, number | string>();
  private arena = new TextArena();
  private readonly recent = new Map<string, T>();

  constructor(private readonly recentLimit = 10_000) {}

  get size(): number {
    return this.texts.size;
  }

  has(id: string): boolean {
    return this.texts.has(id);
  }

  get(id: string): T | undefined {
    const parsed = this.recent.get(id);
    if (parsed !== undefined) return parsed;
    const held = this.texts.get(id);
    if (held === undefined) return undefined;
    return this.remember(id, unpackJson<T>(typeof held === 'number' ? this.arena.get(held) : held));
  }

  set(id: string, value: T): void {
    this.forget(id);
    const text = packJson(value);
    this.texts.set(id, this.arena.put(text) ?? text);
    this.remember(id, value);
    this.compactIfMostlyWaste();
  }

  delete(id: string): boolean {
    this.recent.delete(id);
    this.forget(id);
    return this.texts.delete(id);
  }

  keys(): IterableIterator<string> {
    return this.texts.keys();
  }

  /** The records as plain data (live: serialise it before storing more). */
  exportState(): PackedRecordsState {
    return { texts: this.texts, arena: this.arena.exportState() };
  }

  /** Takes `state` over. */
  static fromState<T extends object>(state: PackedRecordsState): PackedRecords<T> {
    const records = new PackedRecords<T>();
    records.texts = state.texts;
    records.arena = TextArena.fromState(state.arena);
    return records;
  }

  /** Forgets the parsed objects (the texts stay): after a batch of changes is evaluated. */
  release(): void {
    this.recent.clear();
  }

  private forget(id: string): void {
    const held = this.texts.get(id);
    if (typeof held === 'number') this.arena.free(held);
  }

  private compactIfMostlyWaste(): void {
    if (!this.arena.mostlyWaste) return;
    const fresh = new TextArena();
    for (const [id, held] of this.texts) if (typeof held === 'number') this.texts.set(id, fresh.copyFrom(this.arena, held));
    this.arena = fresh;
  }

  private remember(id: string, value: T): T {
    if (this.recent.size >= this.recentLimit) this.recent.clear();
    this.recent.set(id, value);
    return value;
  }
}
