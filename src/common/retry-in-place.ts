/**
 * Runs `fn` until it succeeds, waiting `firstDelayMs` (doubling) between tries, for at most
 * `budgetMs` in all; then throws its last error. For a write that must land after a side effect
 * that cannot be repeated (an email accepted by SMTP): re-running the whole job would repeat it.
 */
export async function retryInPlace<T>(
  fn: () => Promise<T>,
  options: { budgetMs: number; firstDelayMs?: number; onRetry?: (error: unknown, attempt: number) => void },
): Promise<T> {
  const deadline = Date.now() + options.budgetMs;
  let delay = options.firstDelayMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const left = deadline - Date.now();
      if (left <= 0) throw error;
      options.onRetry?.(error, attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.min(delay, left)));
      delay = Math.min(delay * 2, 5000);
    }
  }
}
