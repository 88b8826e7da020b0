/**
 * Waits until `probe` returns a truthy value, checking every `everyMs`; fails after `timeoutMs`
 * with the last value seen. For conditions that another process or a queue makes true.
 */
export async function waitUntil<T>(probe: () => Promise<T>, timeoutMs = 10000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms (last value: ${JSON.stringify(last)})`);
}
