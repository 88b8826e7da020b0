/** A per-client limit of a route other than signing (AbuseService.overRequestLimit). */
export interface RequestLimit {
  /** The route's limit, in its Redis keys (e.g. `privacy-request`). */
  name: string;
  /** The client address (request.ip); null when unknown. */
  ip: string | null;
  /** Requests allowed per window. */
  points: number;
  /** The window, in seconds (fixed: it starts with the client's first request). */
  seconds: number;
}
