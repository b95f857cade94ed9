import { hash } from 'node:crypto';

const NIL = '00000000-0000-0000-0000-000000000000';
// One reusable buffer: ids are made hundreds of thousands of times in a large run.
const scratch = Buffer.alloc(4096);

/** RFC 9562 UUID version 5 (SHA-1) of a name within a namespace. */
export function uuidv5(name: string, namespace: string): string {
  return uuidv5Bytes(name, namespaceBytes(namespace));
}

/** Fixed namespace for all sample ids (itself uuidv5("provsync-sample-data") over the nil namespace). */
const SAMPLE_NAMESPACE = uuidv5('provsync-sample-data', NIL);

/** Makes ids that depend only on the seed and a stable name, so references can be computed, not looked up. */
export function idMaker(seed: number): (name: string) => string {
  const namespace = namespaceBytes(uuidv5(`seed:${seed}`, SAMPLE_NAMESPACE));
  return (name) => uuidv5Bytes(name, namespace);
}

function namespaceBytes(namespace: string): Buffer {
  return Buffer.from(namespace.replaceAll('-', ''), 'hex');
}

function uuidv5Bytes(name: string, namespace: Buffer): string {
  let input: Buffer;
  if (name.length * 3 <= scratch.length - 16) {
    namespace.copy(scratch, 0);
    input = scratch.subarray(0, 16 + scratch.write(name, 16, 'utf8'));
  } else {
    input = Buffer.concat([namespace, Buffer.from(name, 'utf8')]);
  }
  const hex = hash('sha1', input, 'hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
