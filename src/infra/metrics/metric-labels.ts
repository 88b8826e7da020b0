import { createHash, timingSafeEqual } from 'node:crypto';

/** The methods a route label may carry; anything else is `other` (labels are a closed set). */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** A request's method as a label: one of METHODS, else `other`. */
export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : 'other';
}

/**
 * The route a request matched, as registered (`/api/v1/campaigns/:slug/signatures`), never the
 * address it was sent to: an address holds slugs, tokens and ids, and would make one series per
 * value. A request that matched no route (404s, requests refused before routing) is `unmatched`.
 */
export function routeLabel(pattern: string | undefined): string {
  return pattern ? pattern : 'unmatched';
}

/** `2xx`, `4xx`…: the class of an HTTP status. */
export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}

/**
 * Whether an Authorization header carries `Bearer <token>`, compared in constant time (both sides
 * hashed first, so neither the token's length nor a common prefix shows in the timing).
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer +(\S+) *$/i.exec(header ?? '')?.[1];
  if (given === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/** Rejects with a `TimeoutError` when `promise` has not settled within `ms` (the promise itself runs on). */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { name: 'TimeoutError' })), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One read at a time: while a read is in flight, callers share it instead of starting another.
 * Gauges filled by one read (the queues' depths and ages) share it within a scrape; and a read
 * that hangs (Redis or PostgreSQL away) is not started again at every scrape, so nothing piles up.
 */
export class SharedRead<T> {
  private inFlight?: Promise<T>;

  constructor(private readonly read: () => Promise<T>) {}

  get(): Promise<T> {
    if (!this.inFlight) {
      const started = Promise.resolve().then(() => this.read());
      this.inFlight = started;
      const clear = () => {
        if (this.inFlight === started) this.inFlight = undefined;
      };
      started.then(clear, clear);
    }
    return this.inFlight;
  }
}
