/**
 * One string per distinct value: the many entries that hold one of a few values (a source, a day) then
 * share a single string instead of each keeping the copy it was parsed into.
 */
export class StringPool {
  private readonly held = new Map<string, string>();

  intern(value: string): string {
    const held = this.held.get(value);
    if (held !== undefined) return held;
    this.held.set(value, value);
    return value;
  }
}
