/** Recorded whenever a command shows someone's personal data (history, explain): the access is audited too. */
export const PERSONAL_DATA_ACCESSED = 'PersonalDataAccessed';
export const ACCESS_STREAM = 'audit-access';

export interface PersonalDataAccessed {
  type: typeof PERSONAL_DATA_ACCESSED;
  data: {
    /** Who asked: the OS user for the CLI, the authenticated operator for HTTP. */
    who: string;
    /** The command, e.g. `history`, `explain` (never its arguments: a personnummer may be one). */
    command: string;
    /** The SIS ids whose data was shown. */
    about: string[];
    /** True when a protected identity was shown (asked for explicitly). */
    protectedShown: boolean;
    at: string;
  };
}

/** A protected identity: a securityMarking other than `Ingen` (none given counts as not protected). */
export function isProtectedIdentity(person: { securityMarking?: unknown } | null | undefined): boolean {
  const marking = person?.securityMarking;
  return typeof marking === 'string' && marking !== 'Ingen';
}
