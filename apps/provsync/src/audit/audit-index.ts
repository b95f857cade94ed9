import type { AuditEntry, History } from '@provsync/domain';
import type { EventStore } from '@provsync/event-store';
import { catchUpActive, type CatchUpOptions, type Generation, type ReadModelStorage } from '@provsync/read-models';
import { AuditIndexModel, C, type ObjectRow, personTerm, sisTerm } from './audit-index.model.js';
import { civicNoKey } from './civic-no-key.js';

/** The audit index as `provsync history` reads it: brought up to the store's end, then asked. */
export class AuditIndex {
  private generation?: Generation;

  constructor(
    private readonly store: EventStore,
    private readonly storage: ReadModelStorage,
  ) {}

  /** Applies what was recorded since the index's position (nothing at all when it is up to date). */
  async catchUp(options: CatchUpOptions = {}): Promise<void> {
    this.generation = await catchUpActive(this.store, this.storage, new AuditIndexModel(this.store), options);
  }

  async personByCivicNo(civicNo: string): Promise<string | undefined> {
    return (await this.storage.get(await this.active(), C.civic, civicNoKey(civicNo))) as string | undefined;
  }

  /** The latest version of a SIS object as the index last saw it (null: deleted; undefined: never seen). */
  async object(sisId: string): Promise<ObjectRow | undefined> {
    return (await this.storage.get(await this.active(), C.objects, sisId)) as ObjectRow | undefined;
  }

  /**
   * Every entry about a SIS object, oldest first (in the order the store recorded what they come from); for a
   * person also what concerned them through their duties, groups and activities. `since`: entries at or after it.
   */
  async history(sisId: string, since?: Date): Promise<History> {
    const generation = await this.active();
    const object = await this.object(sisId);
    const terms = object?.entity === 'person' ? [sisTerm(sisId), personTerm(sisId)] : [sisTerm(sisId)];
    const byKey = new Map<string, AuditEntry>();
    for (const term of terms) for (const row of await this.storage.findByTerm(generation, C.entries, term)) byKey.set(row.key, row.value as AuditEntry);
    const entries = [...byKey.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, entry]) => entry)
      .filter((entry) => !since || Date.parse(entry.at) >= since.getTime());
    return { sisId, ...(object ? { entity: object.entity } : {}), entries };
  }

  private async active(): Promise<Generation> {
    return (this.generation ??= await this.storage.activeGeneration(new AuditIndexModel(this.store).name));
  }
}
