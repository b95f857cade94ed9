const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Texts longer than this (in UTF-8 bytes) are not kept in an arena. */
export const MAX_ARENA_TEXT = 2 ** 20 - 1;

/**
 * Texts as UTF-8 bytes in one growing buffer outside the JS heap, each found by a number (its offset and
 * length). The GC neither scans them nor counts them when it decides how far the heap may grow before the
 * next collection: held as 220,000 strings, the SIS texts made that headroom (and the peak RSS) larger.
 * A text stored again takes new bytes; the holder copies the live ones to a fresh arena when half is waste.
 */
export class TextArena {
  private bytes: Uint8Array;
  private end = 0;
  private freed = 0;

  constructor(capacity = 1 << 20) {
    this.bytes = new Uint8Array(capacity);
  }

  /** The handle of the stored text, or undefined when it is longer than MAX_ARENA_TEXT bytes could be. */
  put(text: string): number | undefined {
    if (text.length * 3 > MAX_ARENA_TEXT) return undefined;
    this.reserve(text.length * 3);
    const { written } = encoder.encodeInto(text, this.bytes.subarray(this.end));
    const handle = this.end * (MAX_ARENA_TEXT + 1) + written;
    this.end += written;
    return handle;
  }

  get(handle: number): string {
    const [offset, length] = split(handle);
    return decoder.decode(this.bytes.subarray(offset, offset + length));
  }

  /** The text is no longer held: its bytes are waste until the holder compacts. */
  free(handle: number): void {
    this.freed += split(handle)[1];
  }

  /** Copies a text of another arena here (compaction). */
  copyFrom(other: TextArena, handle: number): number {
    const [offset, length] = split(handle);
    this.reserve(length);
    this.bytes.set(other.bytes.subarray(offset, offset + length), this.end);
    const copied = this.end * (MAX_ARENA_TEXT + 1) + length;
    this.end += length;
    return copied;
  }

  /** Whether at least half the bytes written are no longer held (and there are enough to bother). */
  get mostlyWaste(): boolean {
    return this.freed > 1 << 20 && this.freed * 2 > this.end;
  }

  get liveBytes(): number {
    return this.end - this.freed;
  }

  private reserve(bytes: number): void {
    if (this.end + bytes <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.end + bytes));
    grown.set(this.bytes.subarray(0, this.end));
    this.bytes = grown;
  }
}

function split(handle: number): [offset: number, length: number] {
  const length = handle % (MAX_ARENA_TEXT + 1);
  return [(handle - length) / (MAX_ARENA_TEXT + 1), length];
}
