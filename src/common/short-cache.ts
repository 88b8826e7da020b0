/**
 * A small in-process cache for values that may be a little stale (public counts). Concurrent
 * misses for one key share one load. Losing it (a restart) loses nothing: it is only a copy of
 * what PostgreSQL holds. ttlMs 0 turns it off.
 */
export class ShortCache<T> {
  private readonly entries = new Map<string, { value: Promise<T>; expires: number; settled?: { value: T } }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const value = load();
    const entry: { value: Promise<T>; expires: number; settled?: { value: T } } = { value, expires: now + this.ttlMs };
    this.entries.set(key, entry);
    value.then(
      (loaded) => {
        entry.settled = { value: loaded };
      },
      // A failed load is not kept.
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return value;
  }

  /**
   * The value for `key` when a fresh one has already loaded, without a promise (a hot path's
   * shortcut: `get` would wait a turn of the event loop for the same value); undefined when there
   * is none, the load is still running, or it is stale (then `get` loads it again).
   */
  peek(key: string): { value: T } | undefined {
    const hit = this.entries.get(key);
    return hit !== undefined && hit.expires > Date.now() ? hit.settled : undefined;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
