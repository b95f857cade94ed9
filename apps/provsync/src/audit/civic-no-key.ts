import { createHash } from 'node:crypto';

/**
 * The key a personnummer is indexed under: a sha256 of its digits, so the index never holds the number itself and
 * `19120101-1234`, `191201011234` find the same person. A 10-digit form (`120101-1234`) is a different key: the
 * century cannot be told safely, so the SIS's own form (12 digits in SS12000) is what to ask with.
 */
export function civicNoKey(civicNo: string): string {
  return createHash('sha256').update(`civic-no:${civicNo.replace(/\D/g, '')}`).digest('hex');
}
