import { entityStream, isProtectedIdentity, SIS_CHANGE_RECORDED, type SisChangeRecorded } from '@provsync/domain';
import type { EventStore } from '@provsync/event-store';
import { recordPersonalDataAccess } from './record-access.js';

/** What `explain` may do about a SIS id: stop (a protected identity asked for without the flag), or answer and record. */
export type ExplainAccess = { exit: number } | { record(): Promise<void> };

/**
 * An `explain` answer about a person is personal data: it is recorded as an access (who, when, about whom) just
 * before it is printed. A person marked protected (`securityMarking` other than `Ingen`) in any version received
 * is explained only with --show-protected (else exit 3), and that access is recorded as such. Other entities'
 * explanations hold ids, codes and rules only, and are not recorded.
 */
export async function explainAccess(store: EventStore, sisId: string, showProtected: boolean): Promise<ExplainAccess> {
  const versions = (await store.readStream(entityStream('person', sisId)))
    .filter((e) => e.type === SIS_CHANGE_RECORDED)
    .map((e) => (e.data as SisChangeRecorded['data']).change.data);
  if (versions.length === 0) return { record: async () => {} };
  const protectedShown = versions.some((person) => isProtectedIdentity(person));
  if (protectedShown && !showProtected) {
    console.error(`provsync explain: ${sisId} is a protected identity; add --show-protected to see it (the access is recorded)`);
    return { exit: 3 };
  }
  return { record: () => recordPersonalDataAccess(store, { command: 'explain', about: [sisId], protectedShown }) };
}
