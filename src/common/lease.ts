/**
 * Keeps a lease alive while `work` runs: `renew` is called every third of the lease, so a live
 * holder never loses it and a dead one loses it within `leaseSeconds`. A failed renewal is left to
 * the next tick (the lease still has two thirds to run).
 */
export async function whileLeased<T>(leaseSeconds: number, renew: () => Promise<unknown>, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => void renew().catch(() => undefined), (leaseSeconds * 1000) / 3);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
