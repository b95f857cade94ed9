import { createHash } from 'node:crypto';

/** Fixed namespace for all sample ids (itself uuidv5("provsync-sample-data") over the nil namespace). */
const SAMPLE_NAMESPACE = uuidv5('provsync-sample-data', '00000000-0000-0000-0000-000000000000');

/** RFC 9562 UUID version 5 (SHA-1) of a name within a namespace. */
export function uuidv5(name: string, namespace: string): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Makes ids that depend only on the seed and a stable name, so references can be computed, not looked up. */
export function idMaker(seed: number): (name: string) => string {
  const namespace = uuidv5(`seed:${seed}`, SAMPLE_NAMESPACE);
  return (name) => uuidv5(name, namespace);
}
