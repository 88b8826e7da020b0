/** Paths that carry a secret (a confirmation token) lose it before they reach a log line. */
export function redactUrl(url: string | undefined): string {
  const path = (url ?? '').split('?')[0];
  return path.replace(/^(\/(?:[a-z]{2}\/)?confirm\/)[^/]+/, '$1[token]');
}
