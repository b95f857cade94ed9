import { userInfo } from 'node:os';
import { ACCESS_STREAM, PERSONAL_DATA_ACCESSED, type PersonalDataAccessed } from '@provsync/domain';
import type { EventStore } from '@provsync/event-store';

export interface AccessRecord {
  /** The command that shows the data: `history`, `explain`. */
  command: string;
  /** The SIS ids whose personal data is shown. */
  about: string[];
  protectedShown: boolean;
  /** Who asked; the OS user running the CLI by default (HTTP: the authenticated operator). */
  who?: string;
  now?: () => Date;
}

/**
 * Records, in the event store, that someone was shown personal data: before the answer is printed, so an answer
 * that was shown is never missing from the audit. `explain` should call this too, with `command: 'explain'` and
 * the SIS id it explains, whenever its answer is about a person.
 */
export async function recordPersonalDataAccess(store: EventStore, access: AccessRecord): Promise<void> {
  const event: PersonalDataAccessed = {
    type: PERSONAL_DATA_ACCESSED,
    data: {
      who: access.who ?? osUser(),
      command: access.command,
      about: access.about,
      protectedShown: access.protectedShown,
      at: (access.now ?? (() => new Date()))().toISOString(),
    },
  };
  await store.append([{ stream: ACCESS_STREAM, events: [event], expectedRevision: 'any' }]);
}

/** The OS user running this process, as the system names it (`USER`/`LOGNAME` where it cannot). */
export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? `uid ${process.getuid?.() ?? 'unknown'}`;
  }
}
