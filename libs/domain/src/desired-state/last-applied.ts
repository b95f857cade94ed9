import { compareSequences as compareSequenceTexts } from '../recording/record-sis-change.decider.js';
import type { SisEntity } from '../sis/sis-change.js';
import { StringPool } from './string-pool.js';

/** A sequence as a number when it is a plain counter that fits one exactly, else the text. */
type Sequence = number | string;

interface Applied {
  /** Interned: one string per source, not one per object. */
  source: string;
  sequence: Sequence;
}

/**
 * The source and sequence of the last change applied to each SIS object. Keyed per entity by the object's
 * id (the same string the SIS graph keys it by); for the usual source (the first one seen) and a plain
 * counter, the entry is just the number. One entry per object at 220,000 objects was ~200 bytes with
 * `entity:id` keys and sequence texts.
 */
export class LastApplied {
  private readonly byEntity = new Map<SisEntity, Map<string, number | Applied>>();
  private readonly sources = new StringPool();
  private usualSource?: string;

  /**
   * Records the change's sequence unless it is older (same source, lower sequence) than the one applied:
   * returns false then, and the change keeps its place in history only.
   */
  advance(entity: SisEntity, id: string, source: string, sequence: string): boolean {
    let applied = this.byEntity.get(entity);
    if (!applied) this.byEntity.set(entity, (applied = new Map()));
    const held = applied.get(id);
    const last = typeof held === 'number' ? { source: this.usualSource!, sequence: held } : held;
    const next = toSequence(sequence);
    if (last && last.source === source && compareSequences(next, last.sequence) < 0) return false;
    this.usualSource ??= source;
    applied.set(id, source === this.usualSource && typeof next === 'number' ? next : { source: this.sources.intern(source), sequence: next });
    return true;
  }
}

/** Digits, leading zeros allowed, at most 15 after them: exact as a number. */
const PLAIN_COUNTER = /^0*\d{1,15}$/;

function toSequence(sequence: string): Sequence {
  return PLAIN_COUNTER.test(sequence) ? Number(sequence) : sequence;
}

/** Plain counters as numbers, anything else as the recorder orders sequence texts. */
function compareSequences(a: Sequence, b: Sequence): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : compareSequenceTexts(String(a), String(b));
}
