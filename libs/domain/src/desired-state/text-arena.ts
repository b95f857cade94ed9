const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Texts longer than this (in UTF-8 bytes) are not kept in an arena. */
export const MAX_ARENA_TEXT = 2 ** 20 - 1;
/** The arena grows a chunk at a time (a text never spans two): no copy, and no old buffer waiting for the GC. */
const CHUNK = 2 ** 22;

/**
 * Texts as UTF-8 bytes in one growing buffer outside the JS heap, each found by a number (its offset and
 * length). The GC neither scans them nor counts them when it decides how far the heap may grow before the
 * next collection: held as 220,000 strings, the SIS texts made that headroom (and the peak RSS) larger.
 * A text stored again takes new bytes; the holder copies the live ones to a fresh arena when half is waste.
 */
export class TextArena {
  private readonly chunks: Uint8Array[] = [];
  /** Offset of the next byte, over all chunks (chunk n starts at n * CHUNK). */
  private end = 0;
  private written = 0;
  private freed = 0;

  /** The handle of the stored text, or undefined when it is longer than MAX_ARENA_TEXT bytes could be. */
  put(text: string): number | undefined {
    if (text.length * 3 > MAX_ARENA_TEXT) return undefined;
    this.reserve(text.length * 3);
    const at = this.end % CHUNK;
    const { written } = encoder.encodeInto(text, this.chunks[this.chunks.length - 1]!.subarray(at));
    return this.advance(written);
  }

  get(handle: number): string {
    const [offset, length] = split(handle);
    const at = offset % CHUNK;
    return decoder.decode(this.chunks[(offset - at) / CHUNK]!.subarray(at, at + length));
  }

  /** The text is no longer held: its bytes are waste until the holder compacts. */
  free(handle: number): void {
    this.freed += split(handle)[1];
  }

  /** Copies a text of another arena here (compaction). */
  copyFrom(other: TextArena, handle: number): number {
    const [offset, length] = split(handle);
    const at = offset % CHUNK;
    this.reserve(length);
    this.chunks[this.chunks.length - 1]!.set(other.chunks[(offset - at) / CHUNK]!.subarray(at, at + length), this.end % CHUNK);
    return this.advance(length);
  }

  /** The arena as plain data (its live buffers, the last one cut to its used bytes: serialise them before storing more). */
  exportState(): TextArenaState {
    const last = this.chunks.length - 1;
    const chunks = this.chunks.map((chunk, i) => (i === last ? chunk.subarray(0, this.end - last * CHUNK) : chunk));
    return { chunks, end: this.end, written: this.written, freed: this.freed };
  }

  /** Takes `state`'s buffers over (a short one is copied to a whole chunk). */
  static fromState(state: TextArenaState): TextArena {
    const arena = new TextArena();
    for (const chunk of state.chunks) {
      if (chunk.length === CHUNK) arena.chunks.push(chunk);
      else {
        const whole = new Uint8Array(CHUNK);
        whole.set(chunk);
        arena.chunks.push(whole);
      }
    }
    arena.end = state.end;
    arena.written = state.written;
    arena.freed = state.freed;
    return arena;
  }

  /** Whether at least half the bytes written are no longer held (and there are enough to bother). */
  get mostlyWaste(): boolean {
    return this.freed > CHUNK && this.freed * 2 > this.written;
  }

  private advance(length: number): number {
    const handle = this.end * (MAX_ARENA_TEXT + 1) + length;
    this.end += length;
    this.written += length;
    return handle;
  }

  /** Room for `bytes` more in the last chunk, or a new chunk (the rest of the last one is left unused). */
  private reserve(bytes: number): void {
    if (this.chunks.length > 0 && (this.end % CHUNK) + bytes <= CHUNK && this.end < this.chunks.length * CHUNK) return;
    this.end = this.chunks.length * CHUNK;
    this.chunks.push(new Uint8Array(CHUNK));
  }
}

export interface TextArenaState {
  chunks: Uint8Array[];
  end: number;
  written: number;
  freed: number;
}

function split(handle: number): [offset: number, length: number] {
  const length = handle % (MAX_ARENA_TEXT + 1);
  return [(handle - length) / (MAX_ARENA_TEXT + 1), length];
}
