/**
 * The tally's lag, as the metrics scrape can tell it: tally_events rows carry no time, so each
 * scrape notes the highest event id it saw and when. An event with id `i` existed at the first
 * scrape whose highest id was ≥ `i`; the age of the oldest unfolded event is therefore at least
 * the time since that scrape — a lower bound, short by at most one scrape interval (and 0 at the
 * first scrape after a restart, growing from there).
 */
export class TallyLag {
  /** One entry per scrape that saw a higher id than the one before: ids and times both ascending. */
  private seen: { maxId: bigint; at: number }[] = [];

  constructor(private readonly maxEntries = 1000) {}

  /** Records this scrape (the unfolded events' lowest and highest ids, null for none) and answers the lag in seconds. */
  observe(minId: bigint | null, maxId: bigint | null, now: number): number {
    if (minId === null || maxId === null) {
      this.seen = [];
      return 0;
    }
    const last = this.seen[this.seen.length - 1];
    if (!last || maxId > last.maxId) this.seen.push({ maxId, at: now });
    // Scrapes whose highest id is below the oldest unfolded event say nothing about it any more.
    while (this.seen.length > 1 && this.seen[0].maxId < minId) this.seen.shift();
    // Bounded: past the cap, the entry after the first goes (the first keeps the bound it gives).
    if (this.seen.length > this.maxEntries) this.seen.splice(1, 1);
    const first = this.seen[0];
    return first.maxId >= minId ? Math.max(0, now - first.at) / 1000 : 0;
  }
}
