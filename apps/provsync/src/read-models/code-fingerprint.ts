import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A hash of the compiled code a snapshot's meaning rests on: the files of the given folders (relative to this
 * build's root). Any change to them (a rule, a state's shape, the codec) gives another fingerprint, and a snapshot
 * taken under the old one is never read: the model is rebuilt from the events instead. No version number for
 * someone to forget to raise.
 */
export function codeFingerprint(folders: readonly string[]): string {
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  const hash = createHash('sha256');
  for (const folder of folders) {
    const files = readdirSync(root + folder).filter((name) => name.endsWith('.js') && !name.includes('.spec.')).sort();
    for (const name of files) hash.update(`${folder}/${name}\u0000`).update(readFileSync(`${root}${folder}/${name}`));
  }
  return hash.digest('hex');
}
